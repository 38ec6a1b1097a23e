package dev.nvrc.imagetools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PurlTest {
    @Test
    void debianVersionsArePercentDecodedButAPlusStaysAPlus() {
        Purl p = Purl.parse("pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=amd64&distro=debian-12");
        assertThat(p).isEqualTo(new Purl(p.purl(), "deb", "libc6", "2.36-9+deb12u10"));
        assertThat(Purl.parse("pkg:deb/debian/x@1:2.0+b1").version()).isEqualTo("1:2.0+b1");
        assertThat(Purl.parse("pkg:deb/debian/x@1%3A2.0%").version()).isEqualTo("1:2.0%");
    }

    @Test
    void theNameIsTheLastSegmentAndTheVersionIsOptional() {
        assertThat(Purl.parse("pkg:maven/com.github.jnr/jffi@1.3.13?classifier=native#sub/path"))
                .extracting(Purl::type, Purl::name, Purl::version).containsExactly("maven", "jffi", "1.3.13");
        assertThat(Purl.parse("pkg:generic/caf%C3%A9")).extracting(Purl::name, Purl::version).containsExactly("café", "");
        assertThat(Purl.parse("pkg:generic/a/b/c#x").name()).isEqualTo("c");
    }

    @Test
    void whatIsNotAPackageUrlIsRefused() {
        assertThatThrownBy(() -> Purl.parse("deb/debian/libc6")).hasMessageContaining("no pkg: scheme");
        assertThatThrownBy(() -> Purl.parse("pkg:libc6")).hasMessageContaining("without a type/name");
        assertThatThrownBy(() -> Purl.parse("pkg:deb/debian/@1")).hasMessageContaining("without a name");
    }
}
