package dev.strata.dsl.ignore;

import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.GoText;
import dev.strata.dsl.SourcePosition;
import dev.strata.dsl.path.GoPath;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the text of an ignore file into patterns, as moby/patternmatcher's {@code
 * ignorefile.ReadAll} followed by {@code patternmatcher.New} does: a UTF-8 byte order mark is
 * dropped from the first line; a line starting with {@code #} (before any trimming) is a comment;
 * other lines are trimmed of Go white space and blank ones skipped; {@code !} marks an exception
 * (white space after it is trimmed too); the rest is {@code filepath.Clean}ed and one leading
 * {@code /} removed; finally each pattern must be valid for {@code filepath.Match}.
 */
final class IgnoreFileReader {
  private IgnoreFileReader() {}

  /** The patterns of {@code content}, in file order; a bad one fails with its file and line. */
  static List<CompiledPattern> read(String fileName, String content) {
    List<CompiledPattern> patterns = new ArrayList<>();
    int lineNumber = 0;
    int start = 0;
    while (start < content.length()) {
      int newline = content.indexOf('\n', start);
      int end = newline < 0 ? content.length() : newline;
      String line = content.substring(start, end);
      start = end + 1;
      // bufio.ScanLines drops one carriage return before the newline.
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (lineNumber == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      lineNumber++;
      String raw = line;
      if (line.startsWith("#")) {
        continue;
      }
      String pattern = GoText.trimSpace(line);
      if (pattern.isEmpty()) {
        continue;
      }
      boolean invert = pattern.charAt(0) == '!';
      if (invert) {
        pattern = GoText.trimSpace(pattern.substring(1));
      }
      if (!pattern.isEmpty()) {
        pattern = GoPath.clean(pattern);
        if (pattern.length() > 1 && pattern.charAt(0) == '/') {
          pattern = pattern.substring(1);
        }
      }
      if (invert) {
        pattern = "!" + pattern;
      }
      patterns.add(compile(pattern, fileName, lineNumber, raw));
    }
    return patterns;
  }

  /** patternmatcher's {@code New} for one pattern that {@code ReadAll} produced. */
  private static CompiledPattern compile(String pattern, String file, int line, String raw) {
    String p = GoPath.clean(GoText.trimSpace(pattern));
    boolean exclusion = false;
    if (p.charAt(0) == '!') {
      if (p.length() == 1) {
        throw error("illegal exclusion pattern: \"!\"", file, line, raw);
      }
      exclusion = true;
      p = p.substring(1);
    }
    try {
      GoPath.match(p, ".");
      return CompiledPattern.compile(new IgnorePattern(p, exclusion, line));
    } catch (IllegalArgumentException e) {
      throw error("invalid pattern " + GoText.quote(p) + ": " + e.getMessage(), file, line, raw);
    }
  }

  private static ContainerfileException error(String reason, String file, int line, String raw) {
    return new ContainerfileException(reason, SourcePosition.ofLine(file, line), raw);
  }
}
