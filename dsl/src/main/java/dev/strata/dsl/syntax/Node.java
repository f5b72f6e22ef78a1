package dev.strata.dsl.syntax;

import com.google.common.collect.ImmutableList;
import dev.strata.dsl.GoText;
import java.util.List;
import java.util.Locale;

/**
 * A node of the syntax tree, shaped like BuildKit's {@code parser.Node}: the root holds one child
 * per instruction; an instruction holds its keyword as written, its {@code --flags}, its argument
 * nodes (BuildKit's {@code Next} chain), its here-documents, whether it was written in JSON (exec)
 * form, the logical line it came from and its 1-based line span. An argument node holds only a
 * value, except ONBUILD's single argument, which holds the nested instruction as its one child.
 */
public record Node(
    String value,
    List<String> flags,
    List<Node> args,
    List<Node> children,
    List<Heredoc> heredocs,
    boolean json,
    String original,
    int startLine,
    int endLine,
    List<String> prevComment) {

  public Node {
    flags = ImmutableList.copyOf(flags);
    args = ImmutableList.copyOf(args);
    children = ImmutableList.copyOf(children);
    heredocs = ImmutableList.copyOf(heredocs);
    prevComment = ImmutableList.copyOf(prevComment);
  }

  /** An argument node holding a single word. */
  public static Node word(String value) {
    return new Node(value, List.of(), List.of(), List.of(), List.of(), false, "", 0, 0, List.of());
  }

  /** An argument node holding a nested instruction (ONBUILD's trigger). */
  public static Node nested(Node instruction) {
    return new Node(
        "", List.of(), List.of(), List.of(instruction), List.of(), false, "", 0, 0, List.of());
  }

  /** The keyword in lower case, the form every later layer matches on. */
  public String keyword() {
    return value.toLowerCase(Locale.ROOT);
  }

  /** The argument values in order (BuildKit's {@code nodeArgs} without ONBUILD flattening). */
  public List<String> argValues() {
    return args.stream().map(Node::value).collect(ImmutableList.toImmutableList());
  }

  /**
   * BuildKit's {@code Node.Dump()}: {@code (keyword ["--flag"...] "arg"...)}, one line per child
   * for the root, words quoted as Go's {@code strconv.Quote} does.
   */
  public String dump() {
    StringBuilder s = new StringBuilder(value.toLowerCase(Locale.ROOT));
    if (!flags.isEmpty()) {
      s.append(" [");
      for (int i = 0; i < flags.size(); i++) {
        if (i > 0) {
          s.append(' ');
        }
        s.append(GoText.quote(flags.get(i)));
      }
      s.append(']');
    }
    for (Node child : children) {
      s.append('(').append(child.dump()).append(")\n");
    }
    for (Node arg : args) {
      s.append(' ');
      s.append(arg.children.isEmpty() ? GoText.quote(arg.value) : arg.dump());
    }
    return GoText.trimSpace(s.toString());
  }
}
