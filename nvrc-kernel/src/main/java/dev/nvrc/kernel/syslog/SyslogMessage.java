package dev.nvrc.kernel.syslog;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

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
    /** Longest identifier credited; a longer run is not a tag. */
    static final int MAX_IDENT = 64;
    /** Most pid digits read; more is not a tag. */
    static final int MAX_PID_DIGITS = 10;
    /** {@code Mmm dd hh:mm:ss } as syslog(3) writes it. */
    private static final int TIMESTAMP_LENGTH = 16;

    public SyslogMessage {
        Objects.requireNonNull(text, "text");
    }

    /**
     * Parses the tag of an already cleaned message: an optional {@code Mmm dd hh:mm:ss } timestamp,
     * then 1 to 64 characters that are neither white space nor {@code [ ] :}, an optional
     * {@code [pid]} of 1 to 10 digits, and {@code ": "}. Anything else has no tag.
     *
     * <p>A hand-written scanner rather than a regular expression, because it runs for every
     * datagram on the reader thread ahead of readiness markers, and a guest that emulates its CPU
     * interprets this code: a regular-expression match cost ten times the rest of the datagram's
     * handling there. The tests check it against the regular expression it replaces.
     */
    public static SyslogMessage parse(String text) {
        // Only this prefix can hold a tag; scanning a copy of it keeps the loops free of calls.
        char[] c = new char[Math.min(text.length(), TIMESTAMP_LENGTH + MAX_IDENT + MAX_PID_DIGITS + 5)];
        text.getChars(0, c.length, c, 0);
        int start = hasTimestamp(c) ? TIMESTAMP_LENGTH : 0;
        int end = start;
        while (end < c.length && end - start <= MAX_IDENT) {
            char ch = c[end];
            if (ch == ' ' || (ch >= '\t' && ch <= '\r') || ch == '[' || ch == ']' || ch == ':') {
                break;
            }
            end++;
        }
        if (end == start || end - start > MAX_IDENT) {
            return new SyslogMessage(text, null, 0);
        }
        long pid = 0;
        int at = end;
        if (at < c.length && c[at] == '[') {
            int close = at + 1;
            while (close < c.length && close - at <= MAX_PID_DIGITS && c[close] >= '0' && c[close] <= '9') {
                pid = pid * 10 + (c[close] - '0');
                close++;
            }
            if (close == at + 1 || close - at - 1 > MAX_PID_DIGITS || close >= c.length || c[close] != ']') {
                return new SyslogMessage(text, null, 0);
            }
            at = close + 1;
        }
        if (at + 1 < c.length && c[at] == ':' && c[at + 1] == ' ') {
            return new SyslogMessage(text, new String(c, start, end - start), pid);
        }
        return new SyslogMessage(text, null, 0);
    }

    /**
     * The text without a leading syslog(3) timestamp ({@code Mmm dd hh:mm:ss }): what a failure
     * quotes, since the guest's wall clock says nothing there and the tag says who spoke.
     */
    public String textWithoutTimestamp() {
        if (text.length() < TIMESTAMP_LENGTH) {
            return text;
        }
        char[] c = new char[TIMESTAMP_LENGTH];
        text.getChars(0, TIMESTAMP_LENGTH, c, 0);
        return hasTimestamp(c) ? text.substring(TIMESTAMP_LENGTH) : text;
    }

    /** {@code Mmm dd hh:mm:ss } at the start. */
    private static boolean hasTimestamp(char[] t) {
        return t.length >= TIMESTAMP_LENGTH
                && t[0] >= 'A' && t[0] <= 'Z' && t[1] >= 'a' && t[1] <= 'z' && t[2] >= 'a' && t[2] <= 'z'
                && t[3] == ' ' && (t[4] == ' ' || isDigit(t[4])) && isDigit(t[5]) && t[6] == ' '
                && isDigit(t[7]) && isDigit(t[8]) && t[9] == ':' && isDigit(t[10]) && isDigit(t[11])
                && t[12] == ':' && isDigit(t[13]) && isDigit(t[14]) && t[15] == ' ';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
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
