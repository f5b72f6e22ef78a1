package dev.strata.dsl.syntax;

import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.GoText;
import dev.strata.dsl.SourcePosition;
import dev.strata.dsl.Warning;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * Turns Containerfile text into BuildKit's syntax tree, exactly as BuildKit's {@code parser.Parse}:
 * directives at the top, logical lines joined from continuations (comments and blank lines inside
 * them skipped, the latter with a warning), each logical line split into keyword, flags and
 * argument nodes, and here-document bodies read after RUN/COPY/ADD lines. No instruction is
 * validated and no variable is expanded here.
 *
 * <p>Text from bytes is decoded as UTF-8 with malformed bytes replaced; BuildKit keeps such bytes
 * raw, so a file that is not UTF-8 may dump differently (it never parses differently otherwise).
 */
public final class SyntaxParser {
  /** bufio.Scanner's token limit, less the newline. */
  public static final int MAX_LINE_BYTES = 65_535;

  private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("add", "copy", "run");

  private final String sourceName;
  private final List<String> rawLines;
  private final List<Integer> types;
  private final List<String> physicalLines = new ArrayList<>();
  private final List<Warning> warnings = new ArrayList<>();
  private final List<Directive> directives = new ArrayList<>();
  private final DirectiveParser directiveParser = DirectiveParser.hashComments();
  private final ContainerfileLexer lexer;
  private char escapeToken = '\\';
  private int next;

  private SyntaxParser(String text, String sourceName) {
    this.sourceName = sourceName;
    this.rawLines = new ArrayList<>();
    this.types = new ArrayList<>();
    String withoutBom = text.startsWith("\uFEFF") ? text.substring(1) : text;
    this.lexer = new ContainerfileLexer(CharStreams.fromString(withoutBom));
    this.lexer.removeErrorListeners();
  }

  /** Parses UTF-8 bytes; {@code sourceName} is what errors name (may be {@code null}). */
  public static SyntaxTree parse(byte[] bytes, String sourceName) {
    return parse(new String(bytes, StandardCharsets.UTF_8), sourceName);
  }

  /** Parses text; {@code sourceName} is what errors name (may be {@code null}). */
  public static SyntaxTree parse(String text, String sourceName) {
    return new SyntaxParser(text, sourceName).parse();
  }

  /** BuildKit's {@code DetectSyntax}: the frontend named by a syntax directive in any form. */
  public static Optional<String> detectSyntax(String text) {
    return DirectiveParser.detectSyntax(text).map(DirectiveParser.DetectedSyntax::reference);
  }

  private SyntaxTree parse() {
    List<Node> children = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    while (readLine()) {
      int lineNumber = next;
      String raw = rawLines.get(lineNumber - 1);
      int type = types.get(lineNumber - 1);
      if (type == ContainerfileLexer.COMMENT_LINE) {
        // BuildKit drops the first byte of the untrimmed line, then trims.
        String comment = GoText.trimSpace(raw.isEmpty() ? "" : raw.substring(1));
        if (comment.isEmpty()) {
          comments.clear();
        } else {
          comments.add(comment);
        }
      }
      String line = GoText.trimLeftSpace(trimNewline(raw));
      Optional<Directive> directive = directive(line, lineNumber);
      if (directive.isPresent()) {
        directives.add(directive.get());
        if (!comments.isEmpty()) {
          comments.remove(comments.size() - 1);
        }
        continue;
      }
      if (type == ContainerfileLexer.COMMENT_LINE) {
        line = "";
      }
      int startLine = lineNumber;
      boolean endOfLine = type != ContainerfileLexer.CONTINUED_LINE;
      if (!endOfLine) {
        line = trimContinuation(line);
      }
      if (endOfLine && line.isEmpty()) {
        continue;
      }
      StringBuilder logical = new StringBuilder(line);
      boolean emptyContinuation = false;
      while (!endOfLine && readLine()) {
        int continued = types.get(next - 1);
        String text = trimNewline(rawLines.get(next - 1));
        if (continued == ContainerfileLexer.COMMENT_LINE) {
          continue;
        }
        if (continued == ContainerfileLexer.BLANK_LINE) {
          emptyContinuation = true;
          continue;
        }
        endOfLine = continued != ContainerfileLexer.CONTINUED_LINE;
        logical.append(endOfLine ? text : trimContinuation(text));
      }
      String logicalLine = logical.toString();
      if (emptyContinuation) {
        warnings.add(
            new Warning(
                "NoEmptyContinuation",
                "Empty continuation line found in: " + logicalLine,
                SourcePosition.ofLine(sourceName, next)));
      }
      Node child;
      try {
        child = instruction(logicalLine, List.copyOf(comments));
        child = withHeredocs(child, logicalLine, startLine);
      } catch (ContainerfileException e) {
        throw e.at(SourcePosition.ofLine(sourceName, startLine), physicalLine(startLine));
      }
      children.add(placed(child, startLine, next));
      comments.clear();
    }
    if (children.isEmpty()) {
      throw new ContainerfileException(
          "file with no instructions",
          SourcePosition.ofLine(sourceName, Math.max(1, next)),
          next >= 1 ? physicalLine(next) : null);
    }
    Node root =
        new Node(
            "",
            List.of(),
            List.of(),
            children,
            List.of(),
            false,
            "",
            children.get(0).startLine(),
            children.get(children.size() - 1).endLine(),
            List.of());
    return new SyntaxTree(root, directives, escapeToken, warnings, sourceName, physicalLines);
  }

  private Optional<Directive> directive(String line, int lineNumber) {
    try {
      Optional<Directive> directive = directiveParser.parseLine(line, lineNumber);
      if (directive.isPresent()) {
        Directive d = directive.get();
        if (d.name().equals("escape")) {
          setEscapeToken(d.value());
        } else if (d.name().equals("check")) {
          CheckDirective.parse(d.value());
        }
      }
      return directive;
    } catch (ContainerfileException e) {
      throw e.at(SourcePosition.ofLine(sourceName, lineNumber), physicalLine(lineNumber));
    }
  }

  private void setEscapeToken(String value) {
    if (!value.equals("`") && !value.equals("\\")) {
      throw new ContainerfileException(
          "invalid escape token '" + value + "' does not match ` or \\");
    }
    escapeToken = value.charAt(0);
    lexer.setEscapeToken(escapeToken);
  }

  /** A node for one logical line: keyword, flags, arguments (ONBUILD nests one instruction). */
  private Node instruction(String line, List<String> comments) {
    CommandSplitter.Split split = CommandSplitter.split(line);
    ArgumentForms.Parsed parsed;
    if (split.keyword().toLowerCase(Locale.ROOT).equals("onbuild")) {
      parsed =
          split.args().isEmpty()
              ? ArgumentForms.Parsed.none()
              : new ArgumentForms.Parsed(
                  List.of(Node.nested(instruction(split.args(), List.of()))), false);
    } else {
      parsed = ArgumentForms.parse(split.keyword(), split.args(), escapeToken);
    }
    return new Node(
        split.keyword(),
        split.flags(),
        parsed.args(),
        List.of(),
        List.of(),
        parsed.json(),
        line,
        0,
        0,
        comments);
  }

  /** Reads the bodies of the here-documents a RUN/COPY/ADD line (or its ONBUILD) announces. */
  private Node withHeredocs(Node node, String line, int startLine) {
    if (!canContainHeredoc(node) || !line.contains("<<")) {
      return node;
    }
    List<Heredoc> read = new ArrayList<>();
    for (Heredoc marker : HeredocMarkers.fromLine(line)) {
      StringBuilder content = new StringBuilder();
      boolean terminated = false;
      while (readLine()) {
        String raw = rawLines.get(next - 1);
        String candidate = trimNewline(raw);
        if (marker.chomp()) {
          candidate = candidate.replaceFirst("^\\t+", "");
        }
        if (candidate.equals(marker.name())) {
          terminated = true;
          break;
        }
        content.append(raw);
      }
      if (!terminated) {
        throw new ContainerfileException("unterminated heredoc");
      }
      read.add(
          new Heredoc(
              marker.name(),
              marker.fileDescriptor(),
              marker.expand(),
              marker.chomp(),
              content.toString()));
    }
    return new Node(
        node.value(),
        node.flags(),
        node.args(),
        node.children(),
        read,
        node.json(),
        node.original(),
        node.startLine(),
        node.endLine(),
        node.prevComment());
  }

  private static boolean canContainHeredoc(Node node) {
    Node target = node;
    if (node.keyword().equals("onbuild")
        && !node.args().isEmpty()
        && !node.args().get(0).children().isEmpty()) {
      target = node.args().get(0).children().get(0);
    }
    return HEREDOC_INSTRUCTIONS.contains(target.keyword()) && !target.json();
  }

  private static Node placed(Node node, int startLine, int endLine) {
    return new Node(
        node.value(),
        node.flags(),
        node.args(),
        node.children(),
        node.heredocs(),
        node.json(),
        node.original(),
        startLine,
        endLine,
        node.prevComment());
  }

  /**
   * Reads the next physical line from the lexer into {@link #rawLines}; false at the end. Fails on
   * a line longer than {@link #MAX_LINE_BYTES}, as BuildKit's scanner does.
   */
  private boolean readLine() {
    if (next < rawLines.size()) {
      next++;
      return true;
    }
    Token token = lexer.nextToken();
    if (token.getType() == Token.EOF) {
      return false;
    }
    String raw = token.getText();
    String content = raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
    rawLines.add(raw);
    types.add(token.getType());
    physicalLines.add(trimNewline(raw));
    next++;
    // A UTF-16 char is at most 3 UTF-8 bytes: only long lines need encoding to be measured.
    if (content.length() > MAX_LINE_BYTES / 3
        && content.getBytes(StandardCharsets.UTF_8).length > MAX_LINE_BYTES) {
      throw new ContainerfileException(
          "dockerfile line greater than max allowed size of " + MAX_LINE_BYTES,
          SourcePosition.ofLine(sourceName, next),
          null);
    }
    return true;
  }

  private String physicalLine(int line) {
    return line >= 1 && line <= physicalLines.size() ? physicalLines.get(line - 1) : "";
  }

  /** Go's {@code bytes.TrimRight(line, "\r\n")}. */
  private static String trimNewline(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
      end--;
    }
    return line.substring(0, end);
  }

  /**
   * Removes the continuation escape and the blanks after it, keeping the character before it
   * (BuildKit's replacement {@code $1}).
   */
  private String trimContinuation(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
      end--;
    }
    return end > 0 && line.charAt(end - 1) == escapeToken ? line.substring(0, end - 1) : line;
  }
}
