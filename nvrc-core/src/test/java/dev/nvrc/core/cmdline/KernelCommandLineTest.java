package dev.nvrc.core.cmdline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelCommandLineTest {
    private static List<String> render(String line) {
        return KernelCommandLine.tokenize(line).stream()
                .map(t -> t.isFlag() ? "[" + t.key() + "]" : "[" + t.key() + "=" + t.value() + "]")
                .toList();
    }

    @Test
    void splitsOnAnyAsciiWhitespace() {
        assertThat(render("  a=1\tb=2\n\rc=3 \u000b d=4\f")).containsExactly("[a=1]", "[b=2]", "[c=3]", "[d=4]");
    }

    @Test
    void emptyAndBlankLinesHaveNoTokens() {
        assertThat(KernelCommandLine.tokenize("")).isEmpty();
        assertThat(KernelCommandLine.tokenize(" \t\n ")).isEmpty();
    }

    @Test
    void keyWithoutEqualsIsAFlag() {
        List<Token> tokens = KernelCommandLine.tokenize("quiet nvrc.dcgm");
        assertThat(tokens).extracting(Token::isFlag).containsExactly(true, true);
        assertThat(tokens).extracting(Token::key).containsExactly("quiet", "nvrc.dcgm");
    }

    @Test
    void valueKeepsLaterEqualsSigns() {
        assertThat(render("a=b=c")).containsExactly("[a=b=c]");
        assertThat(render("a=")).containsExactly("[a=]");
    }

    @Test
    void quotedValueGroupsSpacesAndLosesItsQuotes() {
        assertThat(render("x=1 key=\"a b  c\" y=2")).containsExactly("[x=1]", "[key=a b  c]", "[y=2]");
    }

    @Test
    void quotedWholeTokenLosesOuterQuotes() {
        assertThat(render("\"key=a b\" z")).containsExactly("[key=a b]", "[z]");
    }

    @Test
    void unterminatedQuoteRunsToTheEnd() {
        assertThat(render("k=\"a b c")).containsExactly("[k=a b c]");
    }

    @Test
    void quoteInsideValueIsKept() {
        assertThat(render("k=a\"b c\"")).containsExactly("[k=a\"b c\"]");
    }

    @Test
    void doubleDashEndsKernelParameters() {
        assertThat(render("a=1 -- nvrc.mode=bogus init-arg")).containsExactly("[a=1]");
    }

    @Test
    void rawTokenIsKeptForMessages() {
        assertThat(KernelCommandLine.tokenize("k=\"a b\"")).extracting(Token::raw).containsExactly("k=\"a b\"");
    }

    @Test
    void nonAsciiIsNotWhitespace() {
        assertThat(render("k=caf\u00e9\u00a0x \u2003y")).containsExactly("[k=caf\u00e9\u00a0x]", "[\u2003y]");
    }

    @Test
    void lineOf64KibIsTokenizedInFull() {
        StringBuilder sb = new StringBuilder();
        int count = 0;
        while (sb.length() < 64 * 1024) {
            sb.append("p").append(count++).append("=v ");
        }
        assertThat(KernelCommandLine.tokenize(sb.toString())).hasSize(count);
    }
}
