package dev.strata.dsl;

/**
 * Go's definitions of text, which BuildKit inherits and Java does not share: {@code
 * unicode.IsSpace} (Java's {@code Character.isWhitespace} excludes NBSP and includes U+001C..1F),
 * {@code strings.TrimSpace}, and {@code strconv.Quote} used by the AST dump.
 */
public final class GoText {
  private GoText() {}

  /** Go's {@code unicode.IsSpace}. */
  public static boolean isSpace(int c) {
    if (c <= 0xFF) {
      return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
    }
    return c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }

  /** Go's {@code strings.TrimSpace}. */
  public static String trimSpace(String s) {
    return trimRightSpace(trimLeftSpace(s));
  }

  /** Go's {@code strings.TrimLeftFunc(s, unicode.IsSpace)}. */
  public static String trimLeftSpace(String s) {
    int i = 0;
    while (i < s.length()) {
      int c = s.codePointAt(i);
      if (!isSpace(c)) {
        break;
      }
      i += Character.charCount(c);
    }
    return s.substring(i);
  }

  /** Go's {@code strings.TrimRightFunc(s, unicode.IsSpace)}. */
  public static String trimRightSpace(String s) {
    int end = s.length();
    while (end > 0) {
      int c = s.codePointBefore(end);
      if (!isSpace(c)) {
        break;
      }
      end -= Character.charCount(c);
    }
    return s.substring(0, end);
  }

  /**
   * Go's {@code strconv.Quote}: a double-quoted literal with Go escapes for what is not printable.
   */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case 0x07 -> out.append("\\a");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case 0x0B -> out.append("\\v");
        default -> {
          if (isPrint(c)) {
            out.appendCodePoint(c);
          } else if (c < ' ' || c == 0x7F) {
            out.append(String.format("\\x%02x", c));
          } else if (Character.isSurrogate((char) c)) {
            // A lone surrogate stands for bytes Go could not decode.
            out.append("\\ufffd");
          } else if (c < 0x10000) {
            out.append(String.format("\\u%04x", c));
          } else {
            out.append(String.format("\\U%08x", c));
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space.
   */
  public static boolean isPrint(int c) {
    if (c == ' ') {
      return true;
    }
    return switch (Character.getType(c)) {
      case Character.UPPERCASE_LETTER,
          Character.LOWERCASE_LETTER,
          Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER,
          Character.OTHER_LETTER,
          Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK,
          Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER,
          Character.OTHER_NUMBER,
          Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL,
          Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL ->
          true;
      default -> false;
    };
  }
}
