package dev.strata.dsl.syntax;

import com.google.common.collect.ImmutableList;
import dev.strata.dsl.SourcePosition;
import dev.strata.dsl.Warning;
import java.util.List;
import java.util.Optional;

/**
 * What the line-level parser makes of a Containerfile, exactly BuildKit's {@code parser.Result}:
 * the root node (one child per instruction), the parser directives, the escape token in force,
 * warnings, and the physical lines so later layers can show where an error is.
 *
 * @param sourceName the file name errors are reported against ({@code null} for bare text)
 * @param physicalLines the file's lines without terminators, index 0 = line 1
 */
public record SyntaxTree(
    Node root,
    List<Directive> directives,
    char escapeToken,
    List<Warning> warnings,
    String sourceName,
    List<String> physicalLines) {

  public SyntaxTree {
    directives = ImmutableList.copyOf(directives);
    warnings = ImmutableList.copyOf(warnings);
    physicalLines = ImmutableList.copyOf(physicalLines);
  }

  /** The value of a directive by its lower-case name. */
  public Optional<String> directive(String name) {
    return directives.stream().filter(d -> d.name().equals(name)).map(Directive::value).findFirst();
  }

  /** The physical line {@code line} (1-based), or {@code ""} when out of range. */
  public String physicalLine(int line) {
    return line >= 1 && line <= physicalLines.size() ? physicalLines.get(line - 1) : "";
  }

  /** The start of {@code line} in this file. */
  public SourcePosition position(int line) {
    return SourcePosition.ofLine(sourceName, Math.max(1, line));
  }

  /** The root dump plus the trailing newline, byte-identical to BuildKit's {@code result} files. */
  public String dump() {
    return root.dump() + "\n";
  }
}
