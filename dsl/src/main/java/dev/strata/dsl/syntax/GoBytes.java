package dev.strata.dsl.syntax;

import java.nio.charset.StandardCharsets;

/**
 * A view of a string as Go code that indexes bytes sees it: one char per UTF-8 byte. BuildKit's
 * flag extraction and HEALTHCHECK split walk bytes and test each byte with {@code unicode.IsSpace},
 * so a byte 0x85 or 0xA0 inside a multi-byte character splits a word there and a non-ASCII flag
 * comes out re-encoded byte by byte. Working on this view reproduces that.
 */
final class GoBytes {
  private GoBytes() {}

  /** Each UTF-8 byte of {@code s} as one char 0..255. */
  static String of(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /** Back from the byte view to text: the inverse of {@link #of}. */
  static String text(String bytes) {
    return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }
}
