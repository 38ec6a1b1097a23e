package dev.nvrc.kernel.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.kernel.libc.LibC;
import dev.nvrc.kernel.libc.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** recvmmsg(2) into native memory, on a real unix datagram socket bound at a temporary path. */
class DatagramBatchTest {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;

    @TempDir
    Path dir;
    Path path;
    int receiver = -1;
    final List<Integer> senders = new ArrayList<>();
    final List<DatagramBatch> batches = new ArrayList<>();
    final LibC libc = Native.libc();

    @BeforeEach
    void bind() {
        path = dir.resolve("log");
        receiver = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        byte[] address = StdioSocket.pathAddress(path.toString());
        assertThat(libc.bind(receiver, address, address.length)).isZero();
    }

    @AfterEach
    void close() {
        batches.forEach(DatagramBatch::close);
        senders.forEach(libc::close);
        libc.close(receiver);
    }

    @Test
    void aBatchTakesWhatIsQueuedInOrderUpToItsCapacityWithoutWaitingForMore() throws Exception {
        List<String> sent = List.of("one", "", "three 3", "four", "five five", "six");
        try (DatagramSender s = new DatagramSender(path)) {
            for (String text : sent) {
                s.send(text);
            }
        }
        DatagramBatch batch = batch(4, 64);
        assertThat(batch.receive(receiver)).isEqualTo(4);
        assertThat(texts(batch, 4)).containsExactlyElementsOf(sent.subList(0, 4));
        // Two are left: MSG_WAITFORONE returns them rather than waiting for a full batch.
        assertThat(batch.receive(receiver)).isEqualTo(2);
        assertThat(texts(batch, 2)).containsExactlyElementsOf(sent.subList(4, 6));
    }

    @Test
    void theSenderAddressTellsADaemonsOutputFromASyslogClientInEveryBatch() throws Exception {
        int shortName = StdioSocket.open(path, "x");
        int longName = StdioSocket.open(path, "nvidia-persistenced");
        senders.add(shortName);
        senders.add(longName);
        DatagramBatch batch = batch(2, 64);
        byte[] sender = new byte[StdioSocket.SOCKADDR_UN_SIZE];
        try (DatagramSender client = new DatagramSender(path)) {
            sendConnected(shortName, "printed by x");
            client.send("<6>from syslog(3)");
            assertThat(batch.receive(receiver)).isEqualTo(2);
            assertThat(daemon(batch, 0, sender)).isEqualTo("x");
            assertThat(batch.senderLength(1)).isLessThanOrEqualTo(2);

            // The slot that last held a short address takes a longer one whole.
            sendConnected(longName, "printed");
            assertThat(batch.receive(receiver)).isEqualTo(1);
            assertThat(daemon(batch, 0, sender)).isEqualTo("nvidia-persistenced");
            assertThat(texts(batch, 1)).containsExactly("printed");
        }
    }

    private static String daemon(DatagramBatch batch, int i, byte[] sender) {
        int length = batch.senderLength(i);
        batch.copySender(i, sender, length);
        return StdioSocket.daemonOf(sender, length);
    }

    @Test
    void aDatagramLongerThanItsSlotIsCutToTheSlot() throws Exception {
        try (DatagramSender s = new DatagramSender(path)) {
            s.send("0123456789abcdefghij");
            s.send("short");
        }
        DatagramBatch batch = batch(4, 8);
        assertThat(batch.receive(receiver)).isEqualTo(2);
        assertThat(texts(batch, 2)).containsExactly("01234567", "short");
    }

    @Test
    void aClosedDescriptorIsAnErrorNotABatch() {
        DatagramBatch batch = batch(2, 8);
        int fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        libc.close(fd);
        assertThat(batch.receive(fd)).isEqualTo(-1);
        assertThat(Native.errno()).isEqualTo(9); // EBADF
    }

    @Test
    void sizesAreChecked() {
        assertThat(batch(16, 64 << 10).capacity()).isEqualTo(16);
        assertThatThrownBy(() -> new DatagramBatch(libc, 0, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DatagramBatch(libc, 2, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private DatagramBatch batch(int capacity, int datagramBytes) {
        DatagramBatch batch = new DatagramBatch(libc, capacity, datagramBytes);
        batches.add(batch);
        return batch;
    }

    private void sendConnected(int fd, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(libc.sendto(fd, bytes, bytes.length, 0, null, 0)).isEqualTo(bytes.length);
    }

    private static List<String> texts(DatagramBatch batch, int count) {
        List<String> texts = new ArrayList<>();
        byte[] bytes = new byte[1024];
        for (int i = 0; i < count; i++) {
            int n = batch.length(i);
            batch.copyData(i, bytes, n);
            texts.add(new String(bytes, 0, n, StandardCharsets.UTF_8));
        }
        return texts;
    }
}
