package dev.strata.dsl.syntax;

import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.shell.ShellEnv;
import dev.strata.dsl.shell.ShellLexer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the here-document markers ({@code <<EOF}, {@code <<-EOF}, {@code 3<<"EOF"}) on a RUN, COPY
 * or ADD line, as BuildKit's {@code heredocsFromLine}/{@code ParseHeredoc}: the line is shell-lexed
 * with {@code \} (whatever the file's escape token), raw quotes and escapes, and each word matching
 * {@code ^(\d*)<<(-?)\s*([^<]*)$} whose rest lexes to exactly one word is a marker. Quoting any
 * part of the delimiter turns expansion of the body off.
 */
public final class HeredocMarkers {
  private static final Pattern MARKER =
      Pattern.compile("^([0-9]*)<<(-?)[\\t\\n\\f\\r ]*([^<]*)$", Pattern.DOTALL);
  private static final ShellLexer LINE_LEXER =
      new ShellLexer('\\').withRawQuotes(true).withRawEscapes(true).withSkipUnsetEnv(true);
  private static final ShellLexer WORD_LEXER = new ShellLexer('\\').withSkipUnsetEnv(true);

  private HeredocMarkers() {}

  /** The markers on {@code line}, in order, with empty bodies. */
  static List<Heredoc> fromLine(String line) {
    List<String> words;
    try {
      words = LINE_LEXER.processWords(line, ShellEnv.empty());
    } catch (ContainerfileException unlexable) {
      // BuildKit ignores the lexer's error here and keeps the words it has: none.
      return List.of();
    }
    List<Heredoc> markers = new ArrayList<>();
    for (String word : words) {
      parse(word).ifPresent(markers::add);
    }
    return markers;
  }

  /**
   * BuildKit's {@code MustParseHeredoc}: the marker a COPY/ADD word stands for, if any, with a
   * malformed marker (unbalanced quotes) taken as no marker.
   */
  public static Optional<Heredoc> mustParse(String word) {
    try {
      return parse(word);
    } catch (ContainerfileException malformed) {
      return Optional.empty();
    }
  }

  /** BuildKit's {@code ParseHeredoc}: the marker a single word stands for, if any. */
  static Optional<Heredoc> parse(String word) {
    Matcher match = MARKER.matcher(word);
    if (!match.matches()) {
      return Optional.empty();
    }
    int fd = fileDescriptor(match.group(1));
    boolean chomp = match.group(2).equals("-");
    String rest = match.group(3);
    if (rest.isEmpty()) {
      return Optional.empty();
    }
    List<String> words = WORD_LEXER.withRawQuotes(false).processWords(rest, ShellEnv.empty());
    if (words.size() != 1) {
      return Optional.empty();
    }
    List<String> raw = WORD_LEXER.withRawQuotes(true).processWords(rest, ShellEnv.empty());
    if (raw.size() != words.size()) {
      throw new ContainerfileException(
          "internal lexing of heredoc produced inconsistent results: " + rest);
    }
    String name = words.get(0);
    boolean expand = quotes(name) == quotes(raw.get(0));
    return Optional.of(new Heredoc(name, fd, expand, chomp, ""));
  }

  /** Go's {@code strconv.ParseUint(digits, 10, 0)} with its error ignored: 0 when unparsable. */
  private static int fileDescriptor(String digits) {
    if (digits.isEmpty()) {
      return 0;
    }
    try {
      long value = Long.parseUnsignedLong(digits);
      return value > Integer.MAX_VALUE ? 0 : (int) value;
    } catch (NumberFormatException overflow) {
      return 0;
    }
  }

  private static long quotes(String s) {
    return s.chars().filter(c -> c == '\'' || c == '"').count();
  }

  /** BuildKit's {@code ChompHeredocContent}: leading tabs removed from every line. */
  public static String chomp(String content) {
    return content.replaceAll("(?md)^\\t+", "");
  }
}
