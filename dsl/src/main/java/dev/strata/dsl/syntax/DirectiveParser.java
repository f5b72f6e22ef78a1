package dev.strata.dsl.syntax;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.dsl.ContainerfileException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parser directives ({@code # syntax=}, {@code # escape=}, {@code # check=}), recognised only at
 * the very top of a file, as BuildKit's {@code DirectiveParser}: the first line that is not a known
 * directive ends the section for good; a repeated directive is an error.
 */
final class DirectiveParser {
  private static final Set<String> KNOWN = Set.of("syntax", "escape", "check");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Pattern pattern;
  private final Set<String> seen = new HashSet<>();
  private boolean done;

  private DirectiveParser(String commentPrefix) {
    // Go's \s is [\t\n\f\r ]: not Java's, which adds \x0B.
    String s = "[\\t\\n\\f\\r ]";
    this.pattern =
        Pattern.compile(
            "^"
                + Pattern.quote(commentPrefix)
                + s
                + "*([a-zA-Z][a-zA-Z0-9]*)"
                + s
                + "*="
                + s
                + "*(.+?)"
                + s
                + "*$",
            Pattern.DOTALL);
  }

  /** The parser Containerfiles use: directives are {@code #} comments. */
  static DirectiveParser hashComments() {
    return new DirectiveParser("#");
  }

  /**
   * Looks at one line (newline and leading blanks already removed); returns the directive it holds,
   * or empty once the directive section has ended.
   */
  Optional<Directive> parseLine(String line, int lineNumber) {
    if (done) {
      return Optional.empty();
    }
    Matcher match = pattern.matcher(line);
    if (!match.matches()) {
      done = true;
      return Optional.empty();
    }
    String name = match.group(1).toLowerCase(Locale.ROOT);
    if (!KNOWN.contains(name)) {
      done = true;
      return Optional.empty();
    }
    if (!seen.add(name)) {
      throw new ContainerfileException("only one " + name + " parser directive can be used");
    }
    return Optional.of(new Directive(name, match.group(2), lineNumber));
  }

  /** What BuildKit's {@code DetectSyntax} finds: the frontend reference and where it was. */
  record DetectedSyntax(String reference, String commandLine, int line) {}

  /**
   * BuildKit's {@code DetectSyntax}: {@code # syntax=}, else {@code // syntax=}, else a JSON
   * document's {@code "syntax"} key, after an optional UTF-8 BOM and {@code #!} shebang line. The
   * reference is the value up to its first space.
   */
  static Optional<DetectedSyntax> detectSyntax(String text) {
    return detect("syntax", text, true);
  }

  /** BuildKit's {@code ParseDirective(key, …)}: only the {@code #} form. */
  static Optional<DetectedSyntax> detect(String key, String text, boolean anyFormat) {
    String data = text.startsWith("\uFEFF") ? text.substring(1) : text;
    int line = 0;
    int newline = data.indexOf('\n');
    String first = newline < 0 ? data : data.substring(0, newline);
    if (first.startsWith("#!")) {
      data = newline < 0 ? "" : data.substring(newline + 1);
      line++;
    }
    Optional<DetectedSyntax> found = detectWith(new DirectiveParser("#"), key, data, line);
    if (found.isPresent() || !anyFormat) {
      return found;
    }
    found = detectWith(new DirectiveParser("//"), key, data, line);
    if (found.isPresent()) {
      return found;
    }
    try {
      Map<String, Object> json = JSON.readValue(data, new TypeReference<Map<String, Object>>() {});
      if (json != null && json.get(key) instanceof String value) {
        return Optional.of(new DetectedSyntax(value, value, line));
      }
    } catch (Exception notJson) {
      // Neither form: no syntax directive.
    }
    return Optional.empty();
  }

  private static Optional<DetectedSyntax> detectWith(
      DirectiveParser parser, String key, String data, int firstLine) {
    // bufio.ScanLines: split on \n, drop one trailing \r.
    List<String> lines = List.of(data.split("\n", -1));
    int lineNumber = firstLine;
    for (int i = 0; i < lines.size(); i++) {
      if (i == lines.size() - 1 && lines.get(i).isEmpty()) {
        break;
      }
      String line = lines.get(i);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      lineNumber++;
      Optional<Directive> directive;
      try {
        directive = parser.parseLine(line, lineNumber);
      } catch (ContainerfileException repeated) {
        break;
      }
      if (parser.done) {
        break;
      }
      if (directive.isPresent() && directive.get().name().equals(key)) {
        String value = directive.get().value();
        int space = value.indexOf(' ');
        String reference = space < 0 ? value : value.substring(0, space);
        return Optional.of(new DetectedSyntax(reference, value, lineNumber));
      }
    }
    return Optional.empty();
  }
}
