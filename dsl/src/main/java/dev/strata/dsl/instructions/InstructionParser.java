package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.GoText;
import dev.strata.dsl.SourcePosition;
import dev.strata.dsl.Warning;
import dev.strata.dsl.syntax.CheckDirective;
import dev.strata.dsl.syntax.Heredoc;
import dev.strata.dsl.syntax.HeredocMarkers;
import dev.strata.dsl.syntax.Node;
import dev.strata.dsl.syntax.SyntaxParser;
import dev.strata.dsl.syntax.SyntaxTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a syntax tree into typed instructions and stages, as BuildKit's {@code instructions.Parse}:
 * argument counts, flags, heredoc placement, mount/device specs and stage structure are checked
 * here, with BuildKit's error texts placed at the offending line and word.
 */
public final class InstructionParser {

  private static final List<String> KEYWORDS =
      List.of(
          "ADD",
          "ARG",
          "CMD",
          "COPY",
          "ENTRYPOINT",
          "ENV",
          "EXPOSE",
          "FROM",
          "HEALTHCHECK",
          "LABEL",
          "MAINTAINER",
          "ONBUILD",
          "RUN",
          "SHELL",
          "STOPSIGNAL",
          "USER",
          "VOLUME",
          "WORKDIR");
  private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
  private static final Pattern ONBUILD_PREFIX =
      Pattern.compile("^[\\t\\n\\f\\r ]*ONBUILD[\\t\\n\\f\\r ]*", Pattern.CASE_INSENSITIVE);
  private static final Duration MINIMUM_DURATION = Duration.ofMillis(1);

  private final SyntaxTree tree;

  private InstructionParser(SyntaxTree tree) {
    this.tree = tree;
  }

  /**
   * Reads a Containerfile from its bytes: the syntax layer, then every instruction typed and
   * checked. {@code sourceName} is the name errors and warnings carry.
   */
  public static Containerfile read(byte[] bytes, String sourceName) {
    return parse(SyntaxParser.parse(bytes, sourceName));
  }

  /** Parses every instruction of {@code tree} into meta-ARGs and stages. */
  public static Containerfile parse(SyntaxTree tree) {
    return new InstructionParser(tree).parseAll();
  }

  /** Parses one instruction node (BuildKit's {@code ParseInstruction}), positioned on error. */
  public static Instruction parseInstruction(SyntaxTree tree, Node node) {
    return new InstructionParser(tree).instruction(node);
  }

  private Containerfile parseAll() {
    List<Arg> metaArgs = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    List<Instruction> current = null;
    From currentFrom = null;
    List<Warning> warnings = new ArrayList<>(tree.warnings());
    for (Node node : tree.root().children()) {
      if (node.keyword().equals("maintainer")) {
        warnings.add(
            new Warning(
                "MaintainerDeprecated",
                "Maintainer instruction is deprecated in favor of using label",
                tree.position(node.startLine())));
      }
      Instruction instruction = instruction(node);
      if (currentFrom == null && instruction instanceof Arg arg) {
        metaArgs.add(arg);
        continue;
      }
      if (instruction instanceof From from) {
        if (currentFrom != null) {
          stages.add(new Stage(stages.size(), currentFrom, current));
        }
        currentFrom = from;
        current = new ArrayList<>();
        continue;
      }
      if (currentFrom == null) {
        throw fail(node, new InstructionError("no build stage in current context"));
      }
      current.add(instruction);
    }
    if (currentFrom != null) {
      stages.add(new Stage(stages.size(), currentFrom, current));
    }
    return new Containerfile(tree, metaArgs, stages, checked(warnings));
  }

  /**
   * Applies the file's {@code # check=} directive as BuildKit does: skipped rules are dropped, and
   * with {@code error=true} any remaining warning fails the file.
   */
  private List<Warning> checked(List<Warning> warnings) {
    CheckDirective check =
        tree.directive("check").map(CheckDirective::parse).orElse(CheckDirective.defaults());
    List<Warning> kept = warnings.stream().filter(w -> check.enabled(w.rule())).toList();
    if (check.error() && !kept.isEmpty()) {
      List<String> rules = kept.stream().map(Warning::rule).distinct().toList();
      Warning first = kept.get(0);
      throw new ContainerfileException(
          "lint violation found for rules: " + String.join(", ", rules),
          first.position(),
          tree.physicalLine(first.position().line()));
    }
    return kept;
  }

  private Instruction instruction(Node node) {
    try {
      return dispatch(node);
    } catch (ContainerfileException e) {
      throw fail(node, e);
    }
  }

  private ContainerfileException fail(Node node, ContainerfileException e) {
    if (e.position().isPresent() && e.position().get().file() != null) {
      return e;
    }
    String token = e instanceof InstructionError ie ? ie.token() : null;
    SourcePosition where = tree.position(node.startLine());
    if (token != null && !token.isEmpty()) {
      for (int line = Math.max(1, node.startLine()); line <= node.endLine(); line++) {
        int col = tree.physicalLine(line).indexOf(token);
        if (col >= 0) {
          where = new SourcePosition(tree.sourceName(), line, col + 1);
          break;
        }
      }
    }
    return e.at(where, tree.physicalLine(where.line()));
  }

  private Instruction dispatch(Node node) {
    Request req = new Request(node);
    return switch (node.keyword()) {
      case "env" -> new Env(req.span, keyValues(req, "ENV"), legacy(req));
      case "maintainer" -> maintainer(req);
      case "label" -> new Label(req.span, keyValues(req, "LABEL"), legacy(req));
      case "add" -> add(req);
      case "copy" -> copy(req);
      case "from" -> from(req);
      case "onbuild" -> onbuild(req);
      case "workdir" -> new Workdir(req.span, exactlyOne(req, "WORKDIR"));
      case "run" -> run(req);
      case "cmd" -> {
        req.flags.parse();
        yield new Cmd(req.span, commandLine(req));
      }
      case "healthcheck" -> healthcheck(req);
      case "entrypoint" -> {
        req.flags.parse();
        yield new Entrypoint(req.span, commandLine(req));
      }
      case "expose" -> expose(req);
      case "user" -> new User(req.span, exactlyOne(req, "USER"));
      case "volume" -> volume(req);
      case "stopsignal" -> stopSignal(req);
      case "arg" -> arg(req);
      case "shell" -> shell(req);
      default ->
          throw new InstructionError(
              Suggestion.wrap(
                  "unknown instruction: " + node.value(), node.value(), KEYWORDS, false),
              node.value());
    };
  }

  /** The pieces of a node every instruction reads (BuildKit's {@code parseRequest}). */
  private final class Request {
    final Node node;
    final List<String> args;
    final Flags flags;
    final SourceSpan span;

    Request(Node node) {
      this.node = node;
      this.args = nodeArgs(node);
      this.flags = new Flags(node.flags());
      this.span =
          new SourceSpan(tree.sourceName(), node.startLine(), node.endLine(), node.original());
    }
  }

  private static List<String> nodeArgs(Node node) {
    List<String> out = new ArrayList<>();
    for (Node arg : node.args()) {
      if (arg.children().isEmpty()) {
        out.add(arg.value());
      } else if (arg.children().size() == 1) {
        Node sub = arg.children().get(0);
        out.add(sub.value());
        out.addAll(nodeArgs(sub));
      }
    }
    return out;
  }

  private static String exactlyOne(Request req, String name) {
    if (req.args.size() != 1) {
      throw new InstructionError(name + " requires exactly one argument");
    }
    req.flags.parse();
    return req.args.get(0);
  }

  private static Maintainer maintainer(Request req) {
    return new Maintainer(req.span, exactlyOne(req, "MAINTAINER"));
  }

  private static StopSignal stopSignal(Request req) {
    // BuildKit never reads STOPSIGNAL's flags: they are silently ignored.
    if (req.args.size() != 1) {
      throw new InstructionError("STOPSIGNAL requires exactly one argument");
    }
    return new StopSignal(req.span, req.args.get(0));
  }

  private static List<KeyValue> keyValues(Request req, String name) {
    req.flags.parse();
    List<String> args = req.args;
    if (args.isEmpty()) {
      throw new InstructionError(name + " requires at least one argument");
    }
    if (args.size() % 3 != 0) {
      throw new InstructionError("Bad input to " + name + ", too many arguments");
    }
    List<KeyValue> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i += 3) {
      if (args.get(i).isEmpty()) {
        throw new InstructionError(name + " names can not be blank");
      }
      out.add(new KeyValue(args.get(i), args.get(i + 1)));
    }
    return out;
  }

  private static boolean legacy(Request req) {
    for (int i = 2; i < req.args.size(); i += 3) {
      if (req.args.get(i).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private record SourcesAndDest(
      List<String> sources, List<InlineSource> inline, String destination) {}

  private static SourcesAndDest sourcesAndDest(Request req, String command) {
    List<String> srcs = req.args.subList(0, req.args.size() - 1);
    String dest = req.args.get(req.args.size() - 1);
    if (HeredocMarkers.mustParse(dest).isPresent()) {
      throw new InstructionError(command + " cannot accept a heredoc as a destination", dest);
    }
    Map<String, Heredoc> byName = new HashMap<>();
    for (Heredoc h : req.node.heredocs()) {
      byName.put(h.name(), h);
    }
    List<String> paths = new ArrayList<>();
    List<InlineSource> inline = new ArrayList<>();
    for (String src : srcs) {
      Optional<Heredoc> found = HeredocMarkers.mustParse(src);
      if (found.isEmpty()) {
        paths.add(src);
        continue;
      }
      Heredoc marker = found.get();
      Heredoc h = byName.get(marker.name());
      String content = h == null ? "" : h.content();
      if (marker.chomp()) {
        content = HeredocMarkers.chomp(content);
      }
      inline.add(new InlineSource(marker.name(), content, marker.expand()));
    }
    return new SourcesAndDest(paths, inline, dest);
  }

  private static Optional<String> optional(Flags flags, Flags.Flag flag) {
    return flags.isUsed(flag) ? Optional.of(flag.value()) : Optional.empty();
  }

  private static Add add(Request req) {
    if (req.args.size() < 2) {
      throw new InstructionError(noDestination("ADD"));
    }
    Flags f = req.flags;
    Flags.Flag excludes = f.addStrings("exclude");
    Flags.Flag chown = f.addString("chown", "");
    Flags.Flag chmod = f.addString("chmod", "");
    Flags.Flag link = f.addBool("link", false);
    Flags.Flag keepGitDir = f.addBool("keep-git-dir", false);
    Flags.Flag checksum = f.addString("checksum", "");
    Flags.Flag unpack = f.addBool("unpack", false);
    f.parse();
    SourcesAndDest sd = sourcesAndDest(req, "ADD");
    return new Add(
        req.span,
        sd.sources(),
        sd.inline(),
        sd.destination(),
        optional(f, chown),
        optional(f, chmod),
        link.isTrue(),
        keepGitDir.isTrue(),
        optional(f, checksum),
        f.isUsed(unpack) ? Optional.of(unpack.isTrue()) : Optional.empty(),
        excludes.values());
  }

  private static Copy copy(Request req) {
    if (req.args.size() < 2) {
      throw new InstructionError(noDestination("COPY"));
    }
    Flags f = req.flags;
    Flags.Flag excludes = f.addStrings("exclude");
    Flags.Flag parents = f.addBool("parents", false);
    Flags.Flag chown = f.addString("chown", "");
    Flags.Flag from = f.addString("from", "");
    Flags.Flag chmod = f.addString("chmod", "");
    Flags.Flag link = f.addBool("link", false);
    f.parse();
    SourcesAndDest sd = sourcesAndDest(req, "COPY");
    return new Copy(
        req.span,
        sd.sources(),
        sd.inline(),
        sd.destination(),
        from.value().isEmpty() ? Optional.empty() : Optional.of(from.value()),
        optional(f, chown),
        optional(f, chmod),
        link.isTrue(),
        parents.isTrue(),
        excludes.values());
  }

  private static String noDestination(String command) {
    return command
        + " requires at least two arguments, but only one was provided. Destination could not be"
        + " determined";
  }

  private static From from(Request req) {
    String stageName = null;
    List<String> args = req.args;
    if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
      stageName = args.get(2).toLowerCase(Locale.ROOT);
      if (!STAGE_NAME.matcher(stageName).matches()) {
        throw new InstructionError(
            "invalid name for build stage: "
                + GoText.quote(args.get(2))
                + ", name can't start with a number or contain symbols",
            args.get(2));
      }
    } else if (args.size() != 1) {
      throw new InstructionError("FROM requires either one or three arguments");
    }
    Flags.Flag platform = req.flags.addString("platform", "");
    req.flags.parse();
    return new From(
        req.span,
        args.get(0),
        platform.value().isEmpty() ? Optional.empty() : Optional.of(platform.value()),
        Optional.ofNullable(stageName),
        comment(req.node.prevComment(), stageName));
  }

  private static String comment(List<String> comments, String name) {
    if (name == null || name.isEmpty()) {
      return "";
    }
    for (String line : comments) {
      if (line.startsWith(name + " ")) {
        return line.substring(name.length() + 1);
      }
    }
    return "";
  }

  private static Onbuild onbuild(Request req) {
    if (req.args.isEmpty()) {
      throw new InstructionError("ONBUILD requires at least one argument");
    }
    req.flags.parse();
    String trigger = GoText.trimSpace(req.args.get(0)).toUpperCase(Locale.ROOT);
    switch (trigger) {
      case "ONBUILD" ->
          throw new InstructionError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      case "MAINTAINER", "FROM" ->
          throw new InstructionError(trigger + " isn't allowed as an ONBUILD trigger");
      default -> {}
    }
    StringBuilder expression =
        new StringBuilder(ONBUILD_PREFIX.matcher(req.node.original()).replaceFirst(""));
    List<Heredoc> heredocs = req.node.heredocs();
    if (heredocs.isEmpty() && req.node.args().size() == 1) {
      heredocs = req.node.args().get(0).children().get(0).heredocs();
    }
    for (Heredoc h : heredocs) {
      expression.append('\n').append(h.content()).append(h.name());
    }
    return new Onbuild(req.span, expression.toString());
  }

  private static CommandLine commandLine(Request req) {
    List<String> args = req.args;
    if (args.isEmpty()) {
      return new CommandLine(List.of(), !req.node.json());
    }
    if (req.node.json()) {
      return new CommandLine(args, false);
    }
    return new CommandLine(List.of(String.join(" ", args)), true);
  }

  private static Run run(Request req) {
    Flags f = req.flags;
    Flags.Flag device = f.addStrings("device");
    Flags.Flag mount = f.addStrings("mount");
    Flags.Flag network = f.addString("network", "default");
    Flags.Flag security = f.addString("security", "sandbox");
    f.parse();
    List<String> used = f.used();
    CommandLine command = commandLine(req);
    List<InlineFile> files =
        req.node.heredocs().stream()
            .map(h -> new InlineFile(h.name(), h.content(), h.chomp()))
            .collect(ImmutableList.toImmutableList());
    List<RunDevice> devices = new ArrayList<>();
    for (String d : device.values()) {
      try {
        devices.add(RunDevice.parse(d));
      } catch (InstructionError e) {
        throw new InstructionError(e.reason(), "--device=" + d);
      }
    }
    for (String m : mount.values()) {
      RunMount.precheck(m);
    }
    return new Run(
        req.span,
        command,
        files,
        mount.values(),
        List.of(),
        NetworkMode.parse(network.value()),
        SecurityMode.parse(security.value()),
        devices,
        used);
  }

  private static Healthcheck healthcheck(Request req) {
    if (req.args.isEmpty()) {
      throw new InstructionError("HEALTHCHECK requires at least one argument");
    }
    String type = req.args.get(0).toUpperCase(Locale.ROOT);
    List<String> rest = req.args.subList(1, req.args.size());
    if (type.equals("NONE")) {
      if (!rest.isEmpty()) {
        throw new InstructionError("HEALTHCHECK NONE takes no arguments");
      }
      return new Healthcheck(
          req.span, List.of("NONE"), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);
    }
    Flags f = req.flags;
    Flags.Flag interval = f.addString("interval", "");
    Flags.Flag timeout = f.addString("timeout", "");
    Flags.Flag startPeriod = f.addString("start-period", "");
    Flags.Flag startInterval = f.addString("start-interval", "");
    Flags.Flag retries = f.addString("retries", "");
    f.parse();
    List<String> test = new ArrayList<>();
    if (!type.equals("CMD")) {
      throw new InstructionError(
          "Unknown type " + GoText.quote(type) + " in HEALTHCHECK (try CMD)", req.args.get(0));
    }
    if (rest.isEmpty()) {
      throw new InstructionError("Missing command after HEALTHCHECK CMD");
    }
    if (req.node.json()) {
      test.add("CMD");
      test.addAll(rest);
    } else {
      test.add("CMD-SHELL");
      test.add(String.join(" ", rest));
    }
    Duration i = interval(interval);
    Duration t = interval(timeout);
    Duration sp = interval(startPeriod);
    Duration si = interval(startInterval);
    int r = 0;
    if (!retries.value().isEmpty()) {
      long parsed = GoInt.parseInt32(retries.value());
      if (parsed < 0) {
        throw new InstructionError(
            "--retries cannot be negative (" + parsed + ")", "--retries=" + retries.value());
      }
      r = (int) parsed;
    }
    return new Healthcheck(req.span, test, i, t, sp, si, r);
  }

  private static Duration interval(Flags.Flag flag) {
    String s = flag.value();
    if (s.isEmpty()) {
      return Duration.ZERO;
    }
    Duration d;
    try {
      d = GoDuration.parse(s);
    } catch (IllegalArgumentException e) {
      throw new InstructionError(e.getMessage(), "--" + flag.name() + "=" + s);
    }
    if (d.isZero()) {
      return Duration.ZERO;
    }
    if (d.compareTo(MINIMUM_DURATION) < 0) {
      throw new InstructionError(
          "Interval " + GoText.quote(flag.name()) + " cannot be less than 1ms",
          "--" + flag.name() + "=" + s);
    }
    return d;
  }

  private static Expose expose(Request req) {
    if (req.args.isEmpty()) {
      throw new InstructionError("EXPOSE requires at least one argument");
    }
    req.flags.parse();
    List<String> ports = new ArrayList<>(req.args);
    ports.sort(InstructionParser::compareBytes);
    return new Expose(req.span, ports);
  }

  /** Go's string order: by UTF-8 bytes (UTF-16 order differs above the BMP). */
  private static int compareBytes(String a, String b) {
    return java.util.Arrays.compareUnsigned(
        a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static Volume volume(Request req) {
    if (req.args.isEmpty()) {
      throw new InstructionError("VOLUME requires at least one argument");
    }
    req.flags.parse();
    List<String> volumes = new ArrayList<>();
    for (String v : req.args) {
      String trimmed = GoText.trimSpace(v);
      if (trimmed.isEmpty()) {
        throw new InstructionError("VOLUME specified can not be an empty string");
      }
      volumes.add(trimmed);
    }
    return new Volume(req.span, volumes);
  }

  private static Arg arg(Request req) {
    // BuildKit never reads ARG's flags: they are silently ignored.
    if (req.args.isEmpty()) {
      throw new InstructionError("ARG requires at least one argument");
    }
    List<ArgDeclaration> decls = new ArrayList<>();
    for (String a : req.args) {
      int eq = a.indexOf('=');
      String key = eq < 0 ? a : a.substring(0, eq);
      if (eq == 0) {
        throw new InstructionError("ARG names can not be blank", a);
      }
      Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(a.substring(eq + 1));
      decls.add(new ArgDeclaration(key, value, comment(req.node.prevComment(), key)));
    }
    return new Arg(req.span, decls);
  }

  private static Shell shell(Request req) {
    req.flags.parse();
    if (req.args.isEmpty()) {
      throw new InstructionError("SHELL requires at least one argument");
    }
    if (!req.node.json()) {
      throw new InstructionError("SHELL requires the arguments to be in JSON form");
    }
    return new Shell(req.span, req.args);
  }
}
