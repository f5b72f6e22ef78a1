package dev.strata.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoTextTest {

  @Test
  void quotesControlCharactersAsGoDoes() {
    assertThat(GoText.quote("\" \\ / \b \f \n \r \t \u0000"))
        .isEqualTo("\"\\\" \\\\ / \\b \\f \\n \\r \\t \\x00\"");
  }

  @Test
  void keepsPrintableUnicodeAndEscapesNonBreakingSpace() {
    assertThat(GoText.quote("♥\u00a0")).isEqualTo("\"♥\\u00a0\"");
  }

  @Test
  void treatsNonBreakingSpaceAsSpaceButNotFileSeparator() {
    assertThat(GoText.isSpace(0xA0)).isTrue();
    assertThat(GoText.isSpace(0x1C)).isFalse();
  }
}
