package dev.nvrc.kernel.syslog;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One cleaned /dev/log message with the sender's syslog(3) tag when it has one.
 *
 * <p>syslog(3) sends {@code <PRI>Mmm dd hh:mm:ss ident[pid]: text} ({@code [pid]} with LOG_PID);
 * the tag is parsed after the optional timestamp so that a message can be credited to the daemon
 * that sent it.
 *
 * @param text the cleaned message (priority stripped, timestamp and tag kept)
 * @param ident the syslog identifier, or null when the message has no tag
 * @param pid the pid in the tag, or 0 when there is none
 */
public record SyslogMessage(String text, String ident, long pid) {
    private static final Pattern TAGGED = Pattern.compile(
            "^(?:[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} )?([^\\s\\[\\]:]{1,64})(?:\\[([0-9]{1,10})\\])?: ");

    public SyslogMessage {
        Objects.requireNonNull(text, "text");
    }

    /** Parses the tag of an already cleaned message. */
    public static SyslogMessage parse(String text) {
        Matcher m = TAGGED.matcher(text);
        if (!m.find()) {
            return new SyslogMessage(text, null, 0);
        }
        long pid = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        return new SyslogMessage(text, m.group(1), pid);
    }

    /** The syslog identifier, if the message has a tag. */
    public Optional<String> identifier() {
        return Optional.ofNullable(ident);
    }

    /** The sender's pid from the tag, if present. */
    public OptionalLong senderPid() {
        return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
    }
}
