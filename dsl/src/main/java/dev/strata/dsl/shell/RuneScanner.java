package dev.strata.dsl.shell;

/**
 * Reads a string one code point at a time with the two operations BuildKit uses from Go's {@code
 * text/scanner}: {@code Peek} and {@code Next}, both answering {@link #EOF} at the end.
 *
 * <p>Two Go behaviours are kept on purpose: a byte-order mark at the very start is skipped (the
 * scanner does that on its first read), and text Go could not decode reads as U+FFFD; in a Java
 * string that is a lone surrogate.
 */
final class RuneScanner {
  static final int EOF = -1;
  private static final int BYTE_ORDER_MARK = 0xFEFF;
  private static final int REPLACEMENT_CHARACTER = 0xFFFD;

  private final int[] runes;
  private int next;

  RuneScanner(String text) {
    this.runes = runes(text);
    this.next = runes.length > 0 && runes[0] == BYTE_ORDER_MARK ? 1 : 0;
  }

  int peek() {
    return next < runes.length ? runes[next] : EOF;
  }

  int next() {
    return next < runes.length ? runes[next++] : EOF;
  }

  /** Go's {@code []rune(s)}: code points, with undecodable text (lone surrogates) as U+FFFD. */
  static int[] runes(String s) {
    return s.codePoints()
        .map(c -> c <= 0xFFFF && Character.isSurrogate((char) c) ? REPLACEMENT_CHARACTER : c)
        .toArray();
  }

  /** Go's {@code string(r)} for one rune: EOF (not a valid rune) becomes U+FFFD. */
  static String string(int rune) {
    return Character.toString(rune < 0 ? REPLACEMENT_CHARACTER : rune);
  }
}
