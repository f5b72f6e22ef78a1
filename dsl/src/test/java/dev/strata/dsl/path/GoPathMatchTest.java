package dev.strata.dsl.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's {@code filepath.Match} table ({@code match_test.go}), and COPY's per-element selection. */
class GoPathMatchTest {

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "abc|abc|true",
        "*|abc|true",
        "*c|abc|true",
        "a*|a|true",
        "a*|abc|true",
        "a*|ab/c|false",
        "a*/b|abc/b|true",
        "a*/b|a/c/b|false",
        "a*b*c*d*e*/f|axbxcxdxe/f|true",
        "a*b*c*d*e*/f|axbxcxdxexxx/f|true",
        "a*b*c*d*e*/f|axbxcxdxe/xxx/f|false",
        "a*b*c*d*e*/f|axbxcxdxexxx/fff|false",
        "a*b?c*x|abxbbxdbxebxczzx|true",
        "a*b?c*x|abxbbxdbxebxczzy|false",
        "ab[c]|abc|true",
        "ab[b-d]|abc|true",
        "ab[e-g]|abc|false",
        "ab[^c]|abc|false",
        "ab[^b-d]|abc|false",
        "ab[^e-g]|abc|true",
        "a\\*b|a*b|true",
        "a\\*b|ab|false",
        "a?b|a☺b|true",
        "a[^a]b|a☺b|true",
        "a???b|a☺b|false",
        "a[^a][^a][^a]b|a☺b|false",
        "[a-ζ]*|α|true",
        "*[a-ζ]|A|false",
        "a?b|a/b|false",
        "a*b|a/b|false",
        "[\\]a]|]|true",
        "[\\-]|-|true",
        "[x\\-]|x|true",
        "[x\\-]|-|true",
        "[x\\-]|z|false",
        "[\\-x]|x|true",
        "[\\-x]|-|true",
        "[\\-x]|a|false",
        "*x|xxx|true",
      })
  void matchesAsGoDoes(String pattern, String name, boolean expected) {
    assertThat(GoPath.match(pattern, name)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is malformed")
  @CsvSource(
      delimiter = '|',
      value = {
        "[]a]|]",
        "[-]|-",
        "[x-]|x",
        "[-x]|x",
        "\\|a",
        "[a-b-c]|a",
        "[|a",
        "[^|a",
        "[^bc|a",
        "a[|a",
        "a[|x",
        "a/b[|x"
      })
  void rejectsMalformedPatternsEvenWhenTheMatchFailsEarly(String pattern, String name) {
    assertThatThrownBy(() -> GoPath.match(pattern, name))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} selects {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "files/*.conf|files/a.conf|true",
        "files/*.conf|files/sub/a.conf|false",
        "files/*|files/sub/a.conf|true",
        "*/etc|files/etc/motd|true",
        "files|files/etc/motd|true",
        "files/etc/motd|files/etc|false",
        "f?les/[a-e]*|files/etc/motd|true",
        "f?les/[a-d]*|files/etc/motd|false",
      })
  void selectsWhatAWildcardSourceResolvesToAndEverythingBelowIt(
      String pattern, String path, boolean expected) {
    assertThat(GoPath.selects(pattern, path)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void selectionChecksThePatternEvenWhenThePathIsShorter() {
    assertThatThrownBy(() -> GoPath.selects("a/b[", "a"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
