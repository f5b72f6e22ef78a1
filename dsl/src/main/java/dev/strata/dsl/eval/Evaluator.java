package dev.strata.dsl.eval;

import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.GoText;
import dev.strata.dsl.instructions.Arg;
import dev.strata.dsl.instructions.ArgDeclaration;
import dev.strata.dsl.instructions.Containerfile;
import dev.strata.dsl.instructions.Copy;
import dev.strata.dsl.instructions.Env;
import dev.strata.dsl.instructions.Expandable;
import dev.strata.dsl.instructions.From;
import dev.strata.dsl.instructions.Instruction;
import dev.strata.dsl.instructions.KeyValue;
import dev.strata.dsl.instructions.Run;
import dev.strata.dsl.instructions.RunMount;
import dev.strata.dsl.instructions.SourceSpan;
import dev.strata.dsl.instructions.Stage;
import dev.strata.dsl.shell.ShellLexer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates a {@link Containerfile} as BuildKit's {@code dockerfile2llb} does before building:
 * meta-ARGs (with the automatic platform ARGs), each stage's base name and platform, stage
 * references, per-stage ARG/ENV scoping, and per-instruction variable expansion, where every
 * variable of one instruction sees the environment from before that instruction.
 */
public final class Evaluator {

  private static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Containerfile file;
  private final EvaluationOptions options;
  private final ShellLexer lexer;
  private final ShellLexer heredocLexer;

  private Evaluator(Containerfile file, EvaluationOptions options) {
    this.file = file;
    this.options = options;
    this.lexer = new ShellLexer(file.escapeToken());
    // BuildKit expands heredoc bodies with a fresh '\' lexer that keeps quotes.
    this.heredocLexer = new ShellLexer('\\').withSkipProcessQuotes(true);
  }

  /** Evaluates {@code file} for {@code options}. */
  public static ResolvedContainerfile evaluate(Containerfile file, EvaluationOptions options) {
    return new Evaluator(file, options).run();
  }

  /** Evaluates {@code file} with no build args on linux/amd64. */
  public static ResolvedContainerfile evaluate(Containerfile file) {
    return evaluate(file, EvaluationOptions.defaults());
  }

  private ResolvedContainerfile run() {
    Map<String, String> meta = new LinkedHashMap<>();
    // Every meta declaration, in order, with its value (absent when declared without one);
    // an in-stage "ARG name" without a value takes the last of these.
    List<Map.Entry<String, Optional<String>>> metaDecls = new ArrayList<>();
    platformArgs(meta);
    meta.forEach((k, v) -> metaDecls.add(Map.entry(k, Optional.of(v))));
    for (Arg arg : file.metaArgs()) {
      for (ArgDeclaration decl : arg.args()) {
        Optional<String> value = argValue(decl, meta, arg.location());
        value.ifPresent(v -> meta.put(decl.key(), v));
        metaDecls.add(Map.entry(decl.key(), value));
      }
    }
    List<ResolvedStage> resolved = new ArrayList<>();
    for (Stage stage : file.stages()) {
      resolved.add(stage(stage, meta, metaDecls, resolved));
    }
    return new ResolvedContainerfile(file, meta, resolved);
  }

  private void platformArgs(Map<String, String> meta) {
    Platform build = options.buildPlatform();
    Platform target = options.targetPlatform();
    meta.put("BUILDPLATFORM", build.toString());
    meta.put("BUILDOS", build.os());
    meta.put("BUILDOSVERSION", "");
    meta.put("BUILDARCH", build.architecture());
    meta.put("BUILDVARIANT", build.variant());
    meta.put("TARGETPLATFORM", target.toString());
    meta.put("TARGETOS", target.os());
    meta.put("TARGETOSVERSION", "");
    meta.put("TARGETARCH", target.architecture());
    meta.put("TARGETVARIANT", target.variant());
  }

  /** A build arg wins over the default; the default is expanded with {@code env}. */
  private Optional<String> argValue(
      ArgDeclaration decl, Map<String, String> env, SourceSpan where) {
    String given = options.buildArgs().get(decl.key());
    if (given != null) {
      return Optional.of(given);
    }
    if (decl.defaultValue().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(guard(where, () -> expander(env).word(decl.defaultValue().get())));
  }

  private ResolvedStage stage(
      Stage stage,
      Map<String, String> meta,
      List<Map.Entry<String, Optional<String>>> metaDecls,
      List<ResolvedStage> earlier) {
    From from = stage.from();
    From expandedFrom = guard(from.location(), () -> from.expand(expander(meta)));
    String baseName = expandedFrom.image();
    if (baseName.isEmpty()) {
      throw error(from.location(), "base name (" + from.image() + ") should not be blank");
    }
    Optional<Platform> platform = Optional.empty();
    if (expandedFrom.platform().isPresent()) {
      String p = expandedFrom.platform().get();
      try {
        platform = Optional.of(Platform.parse(p));
      } catch (IllegalArgumentException e) {
        throw error(
            from.location(),
            "failed to parse platform " + from.platform().get() + ": " + e.getMessage());
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    StageReference base;
    Optional<ResolvedStage> parent = byName(earlier, baseName);
    if (parent.isPresent()) {
      base = new StageReference.StageRef(parent.get().index(), parent.get().stage().displayName());
      env.putAll(parent.get().environment());
    } else if (baseName.equals("scratch")) {
      base = new StageReference.Scratch();
      env.put("PATH", DEFAULT_PATH);
    } else {
      base = new StageReference.ImageRef(baseName);
    }

    List<Instruction> out = new ArrayList<>();
    List<Dependency> deps = new ArrayList<>();
    for (Instruction instruction : stage.instructions()) {
      Instruction done =
          guard(instruction.location(), () -> step(instruction, stage, env, metaDecls, deps));
      out.add(done);
    }
    return new ResolvedStage(stage, baseName, base, platform, out, deps, env);
  }

  private Instruction step(
      Instruction instruction,
      Stage stage,
      Map<String, String> env,
      List<Map.Entry<String, Optional<String>>> metaDecls,
      List<Dependency> deps) {
    if (instruction instanceof Arg arg) {
      List<ArgDeclaration> decls = new ArrayList<>();
      for (ArgDeclaration decl : arg.args()) {
        Optional<String> value = argValue(decl, env, arg.location());
        if (value.isEmpty()
            && decl.defaultValue().isEmpty()
            && !options.buildArgs().containsKey(decl.key())) {
          for (Map.Entry<String, Optional<String>> m : metaDecls) {
            if (m.getKey().equals(decl.key())) {
              value = m.getValue();
            }
          }
        }
        value.ifPresent(v -> env.put(decl.key(), v));
        decls.add(new ArgDeclaration(decl.key(), value, decl.docComment()));
      }
      return new Arg(arg.location(), decls);
    }
    LexerExpander expander = expander(env);
    if (instruction instanceof Copy copy && copy.from().isPresent()) {
      String raw = copy.from().get();
      if (!expander.word(raw).equals(raw)) {
        throw new ContainerfileException(
            "variable expansion is not supported for --from, define a new stage with FROM using"
                + " ARG from global scope as a workaround");
      }
      deps.add(new Dependency(copy, copySource(raw, stage)));
    }
    Instruction expanded = instruction instanceof Expandable e ? e.expand(expander) : instruction;
    if (expanded instanceof Env e) {
      for (KeyValue kv : e.pairs()) {
        env.remove(kv.key());
        env.put(kv.key(), kv.value());
      }
    }
    if (expanded instanceof Run run) {
      for (RunMount mount : run.mounts()) {
        if (!mount.from().isEmpty()) {
          deps.add(new Dependency(run, mountSource(mount.from(), stage)));
        }
      }
    }
    return expanded;
  }

  private StageReference copySource(String from, Stage current) {
    Integer index = atoi(from);
    Stage source;
    if (index != null) {
      if (index < 0 || index >= file.stages().size()) {
        throw new ContainerfileException("invalid stage index " + index);
      }
      source = file.stages().get(index);
    } else {
      Optional<Stage> named = stageByName(from);
      if (named.isEmpty()) {
        return new StageReference.ImageRef(from);
      }
      source = named.get();
    }
    if (source.index() >= current.index()) {
      throw new ContainerfileException(
          "cannot copy from stage "
              + GoText.quote(from)
              + ", it needs to be defined before current stage "
              + GoText.quote(current.displayName()));
    }
    return new StageReference.StageRef(source.index(), source.displayName());
  }

  private StageReference mountSource(String from, Stage current) {
    Optional<Stage> named = stageByName(from);
    if (named.isEmpty()) {
      return new StageReference.ImageRef(from);
    }
    if (named.get().index() >= current.index()) {
      throw new ContainerfileException(
          "cannot mount from stage "
              + GoText.quote(from)
              + ", it needs to be defined before current stage "
              + GoText.quote(current.displayName()));
    }
    return new StageReference.StageRef(named.get().index(), named.get().displayName());
  }

  /** Go's {@code strconv.Atoi}, {@code null} when not a number. */
  private static Integer atoi(String s) {
    if (!s.matches("[+-]?[0-9]+")) {
      return null;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private Optional<Stage> stageByName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return file.stages().stream()
        .filter(s -> s.name().map(lower::equals).orElse(false))
        .findFirst();
  }

  private static Optional<ResolvedStage> byName(List<ResolvedStage> stages, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return stages.stream().filter(s -> s.name().map(lower::equals).orElse(false)).findFirst();
  }

  private LexerExpander expander(Map<String, String> env) {
    return new LexerExpander(lexer, heredocLexer, env);
  }

  private interface Step<T> {
    T get();
  }

  private <T> T guard(SourceSpan where, Step<T> step) {
    try {
      return step.get();
    } catch (ContainerfileException e) {
      throw e.at(where.start(), file.tree().physicalLine(where.startLine()));
    }
  }

  private ContainerfileException error(SourceSpan where, String reason) {
    return new ContainerfileException(
        reason, where.start(), file.tree().physicalLine(where.startLine()));
  }
}
