package dev.nvrc.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void quoteEscapesControlsAndCuts() {
        assertEquals("'a\\nb\\r\\tc\\x01\\x7fé'", Printable.quote("a\nb\r\tc\u0001\u007fé", 80));
        assertEquals("'abc'... (5 characters)", Printable.quote("abcde", 3));
    }

    @Test
    void escapedWritesHexOutsidePrintableAsciiAndCutsAtTheLimit() {
        assertEquals("a b\\x00\\xe9", Printable.escaped("a b\0é", 40));
        assertEquals("abcd...", Printable.escaped("abcdef", 4));
        assertEquals("abcd", Printable.escaped("abcd", 4));
    }

    @Test
    void maskedReplacesByCodePoint() {
        assertEquals("a ?b?", Printable.masked("a \tb\uD83D\uDE00", 60));
        assertEquals("ab...", Printable.masked("abc", 2));
    }

    @Test
    void oneCharacter() {
        assertEquals("x", Printable.escaped('x'));
        assertEquals("\\u000a", Printable.escaped('\n'));
    }

    @Test
    void visible() {
        assertTrue(Printable.isVisible("kernel.modules_disabled"));
        assertFalse(Printable.isVisible("a b"));
        assertFalse(Printable.isVisible("a\u007f"));
    }
}
