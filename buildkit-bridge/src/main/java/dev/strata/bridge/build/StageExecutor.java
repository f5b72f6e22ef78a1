package dev.strata.bridge.build;

import dev.strata.bridge.build.copy.ContextTree;
import dev.strata.bridge.build.copy.CopyException;
import dev.strata.bridge.build.copy.CopyRequest;
import dev.strata.bridge.build.copy.CopyStep;
import dev.strata.bridge.build.copy.ImageTree;
import dev.strata.bridge.build.copy.SourceTree;
import dev.strata.bridge.fs.FileTrees;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.HistoryEntry;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.rootfs.LayerStack;
import dev.strata.bridge.rootfs.Owner;
import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.bridge.rootfs.UnknownOwnerException;
import dev.strata.bridge.rootfs.UserDatabase;
import dev.strata.bridge.run.CacheTurns;
import dev.strata.bridge.tar.LayerDigests;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.bridge.tar.StagedEntry;
import dev.strata.bridge.tar.TarEntry;
import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.eval.EvaluationOptions;
import dev.strata.dsl.eval.Evaluator;
import dev.strata.dsl.eval.ResolvedStage;
import dev.strata.dsl.eval.StageReference;
import dev.strata.dsl.instructions.Add;
import dev.strata.dsl.instructions.Arg;
import dev.strata.dsl.instructions.ArgDeclaration;
import dev.strata.dsl.instructions.Cmd;
import dev.strata.dsl.instructions.Containerfile;
import dev.strata.dsl.instructions.Copy;
import dev.strata.dsl.instructions.Instruction;
import dev.strata.dsl.instructions.InstructionParser;
import dev.strata.dsl.instructions.Run;
import dev.strata.dsl.instructions.SourceSpan;
import dev.strata.dsl.instructions.Workdir;
import dev.strata.graph.Node;
import dev.strata.graph.project.LayerCompression;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the stages of one node in order, instruction by instruction: each step's key is looked up
 * in the {@link StepCache} first and, on a hit, its recorded state is taken as it is; otherwise the
 * step runs (COPY/ADD and WORKDIR make exact layers, configuration instructions change the config,
 * RUN goes to the {@link RunStep}) and its state is recorded.
 */
final class StageExecutor {
  private final BuildSession session;
  private final Node node;
  private final Map<Integer, StageState> finished = new LinkedHashMap<>();
  private ResolvedStage current;
  private int built;
  private int reused;
  private final List<String> ran = new ArrayList<>();
  private final Map<String, Duration> stepTimes = new LinkedHashMap<>();

  StageExecutor(BuildSession session, Node node) {
    this.session = session;
    this.node = node;
  }

  int built() {
    return built;
  }

  int reused() {
    return reused;
  }

  /** The first line of every step that ran (was not taken from the cache), in order. */
  List<String> ran() {
    return List.copyOf(ran);
  }

  /** How long each step that ran took, by its key, without its waits for locked caches. */
  Map<String, Duration> stepTimes() {
    return Map.copyOf(stepTimes);
  }

  /** Builds stage {@code stage} with its step keys ({@code keys[0]} is the FROM's). */
  StageState run(ResolvedStage stage, List<String> keys) throws IOException {
    String stageName = stage.stage().displayName();
    StageState state = from(stage);
    state = onbuild(stage, state, keys.get(0));
    Map<String, String> args = new LinkedHashMap<>();
    boolean cmdSet = false;
    // The state of the last cache hit is read (its config parsed, its layers found) only when a
    // step runs on it or the stage ends: a run of hits needs the state of its last step alone.
    Optional<StepCache.Entry> unread = Optional.empty();
    List<Instruction> instructions = stage.instructions();
    for (int i = 0; i < instructions.size(); i++) {
      Instruction instruction = instructions.get(i);
      String key = keys.get(i + 1);
      String text = instruction.location().original().lines().findFirst().orElse("").strip();
      if (instruction instanceof Arg arg) {
        for (ArgDeclaration decl : arg.args()) {
          decl.defaultValue().ifPresent(v -> args.put(decl.key(), v));
        }
      }
      if (instruction instanceof Cmd) {
        cmdSet = true;
      }
      Optional<StepCache.Entry> hit = session.cache().lookup(key);
      if (hit.isPresent()) {
        if (instruction instanceof Run run) {
          // a RUN taken from the cache asks for none of its caches: others need not wait for it
          run.mounts().stream()
              .filter(CacheTurns::locked)
              .forEach(m -> session.turn(node.name()).passed(CacheTurns.cacheId(m)));
        }
        unread = hit;
        reused++;
        session.listener().step(node.name(), stageName, text, true);
        continue;
      }
      if (unread.isPresent()) {
        state = restore(unread.get());
        unread = Optional.empty();
      }
      if (built == 0
          && instructions.subList(i, instructions.size()).stream()
              .anyMatch(Run.class::isInstance)) {
        session.runStep().expect(); // the steps before it run meanwhile
      }
      session.listener().step(node.name(), stageName, text, false);
      long began = System.nanoTime();
      Duration waitedBefore = session.waitedBy(node.name());
      state = execute(instruction, state, args, cmdSet);
      stepTimes.put(
          key,
          Duration.ofNanos(System.nanoTime() - began)
              .minus(session.waitedBy(node.name()).minus(waitedBefore)));
      built++;
      ran.add(text);
      session.cache().save(key, entry(state));
    }
    if (unread.isPresent()) {
      state = restore(unread.get());
    }
    finished.put(stage.index(), state);
    return state;
  }

  private StageState execute(
      Instruction instruction, StageState state, Map<String, String> args, boolean cmdSet)
      throws IOException {
    Instant now = session.clock().now();
    String original = instruction.location().original().strip();
    if (instruction instanceof Arg) {
      return state; // the values are inputs of later steps' keys; the image does not change
    }
    if (instruction instanceof Copy || instruction instanceof Add) {
      return copy(instruction, state, now);
    }
    if (instruction instanceof Run run) {
      return run(run, state, args, now);
    }
    if (!ConfigInstructions.isConfigOnly(instruction)) {
      throw BuildException.at(
          instruction.location(), "the native engine cannot build " + instruction.name());
    }
    ImageConfig config = ConfigInstructions.apply(state.config(), instruction, cmdSet);
    HistoryEntry history = new HistoryEntry(now, "/bin/sh -c #(nop) " + original, null, null, true);
    if (instruction instanceof Workdir) {
      String dir = ConfigInstructions.workingDir(state.config(), ((Workdir) instruction).path());
      Optional<List<StagedEntry>> entries = workdirEntries(state, dir, now);
      if (entries.isPresent()) {
        return addLayer(
            state,
            config.withCreated(now),
            entries.get(),
            new HistoryEntry(now, "/bin/sh -c #(nop) " + original, null, null, false));
      }
    }
    return state.withConfig(config.withCreated(now).withEmptyLayerHistory(history));
  }

  /** WORKDIR creates its directory (0755, root) and missing parents when the image lacks it. */
  private Optional<List<StagedEntry>> workdirEntries(StageState state, String dir, Instant now)
      throws IOException {
    RootfsView view = new RootfsView(state.rootfs());
    String resolved = view.resolve(dir, true);
    if (resolved.equals("/") || view.lookup(resolved).isPresent()) {
      return Optional.empty();
    }
    List<StagedEntry> entries = new ArrayList<>();
    String path = "";
    for (String part : resolved.substring(1).split("/")) {
      path = path.isEmpty() ? part : path + "/" + part;
      Optional<Path> existing = view.lookup(path);
      TarEntry entry =
          existing.isPresent()
              ? LayerWriter.describe(existing.get(), path)
              : TarEntry.directory(path, 0755, 0, 0, now);
      entries.add(StagedEntry.of(entry));
    }
    return Optional.of(entries);
  }

  private StageState copy(Instruction instruction, StageState state, Instant now)
      throws IOException {
    SourceSpan where = instruction.location();
    Copy copy = instruction instanceof Copy c ? c : null;
    Add add = instruction instanceof Add a ? a : null;
    Optional<String> chownSpec = copy != null ? copy.chown() : add.chown();
    boolean link = copy != null ? copy.link() : add.link();
    RootfsView view = new RootfsView(state.rootfs());
    Optional<Owner> chown = Optional.empty();
    if (chownSpec.isPresent() && !chownSpec.get().isEmpty()) {
      try {
        chown = Optional.of(UserDatabase.of(view).resolve(chownSpec.get()));
      } catch (UnknownOwnerException e) {
        throw BuildException.at(where, "--chown=" + chownSpec.get() + ": " + e.getMessage());
      }
    }
    SourceTree tree;
    if (copy != null && copy.from().isPresent()) {
      StageReference source = fromReference(copy);
      tree = new ImageTree(new RootfsView(rootfsOf(source, where)), "--from=" + copy.from().get());
    } else {
      tree = ContextTree.forBuild(node.config().context(), node.config().containerfile());
    }
    RootfsView target = link ? new RootfsView(LayerStack.empty()) : view;
    String workdir = state.config().configField("WorkingDir").map(n -> n.asText()).orElse("/");
    Path scratch = session.scratch();
    try {
      CopyRequest request = copy != null ? CopyRequest.of(copy, chown) : CopyRequest.of(add, chown);
      CopyStep.Result result =
          new CopyStep(tree, target, workdir, now, scratch, session.remote()).run(request);
      String destination = copy != null ? copy.destination() : add.destination();
      String keyword = copy != null ? "COPY" : "ADD";
      return addLayer(
          state,
          state.config().withCreated(now),
          result.entries(),
          new HistoryEntry(
              now, null, // filled in by addLayer once the diffID is known
              null, null, false),
          keyword + (link ? " --link" : "") + " " + result.kind(),
          destination);
    } catch (CopyException e) {
      throw BuildException.at(where, e.getMessage(), e);
    } catch (dev.strata.bridge.tar.UnsafeEntryException e) {
      throw BuildException.at(where, e.getMessage(), e);
    } finally {
      FileTrees.delete(scratch);
    }
  }

  private StageReference fromReference(Copy copy) {
    for (var dep : current.dependencies()) {
      // the evaluator records the instruction before expansion: match it by place
      if (dep.instruction().location().equals(copy.location())) {
        return dep.source();
      }
    }
    return new StageReference.ImageRef(copy.from().get());
  }

  /** The stage or image a {@code RUN --mount=from=} names, as the evaluator resolved it. */
  private StageReference mountSource(Run run, String from) {
    List<StageReference> sources = new ArrayList<>();
    for (var dep : current.dependencies()) {
      if (dep.instruction().location().equals(run.location())) {
        sources.add(dep.source());
      }
    }
    int i = 0;
    for (var mount : run.mounts()) {
      if (!mount.from().isEmpty()) {
        if (mount.from().equals(from) && i < sources.size()) {
          return sources.get(i);
        }
        i++;
      }
    }
    return new StageReference.ImageRef(from);
  }

  private StageState run(Run run, StageState state, Map<String, String> args, Instant now)
      throws IOException {
    Map<String, String> runArgs = new LinkedHashMap<>(args);
    for (String env : ConfigInstructions.strings(state.config(), "Env")) {
      runArgs.remove(env.contains("=") ? env.substring(0, env.indexOf('=')) : env);
    }
    Path scratch = session.scratch();
    try {
      RunStep.RunOutput output =
          session
              .runStep()
              .run(
                  new RunStep.RunInput(
                      run,
                      state.rootfs(),
                      state.config(),
                      runArgs,
                      node.config().context(),
                      from -> rootfsOf(mountSource(run, from), run.location()),
                      session.clock().sourceDateEpoch(),
                      scratch,
                      (line, stderr) -> session.listener().output(node.name(), line, stderr),
                      compression(),
                      Optional.of(session.pieces()),
                      session.turn(node.name())));
      Descriptor layer = storeLayer(output.blob(), output.digests());
      Digest diffId = output.digests().diffId();
      Path extracted =
          output.extracted().isPresent()
              ? session.layers().adopt(diffId, layer, output.extracted().get())
              : session.layers().extracted(diffId, layer);
      String createdBy = "/bin/sh -c " + run.command().text();
      if (!runArgs.isEmpty()) {
        StringBuilder prefix = new StringBuilder("|" + runArgs.size());
        runArgs.forEach((k, v) -> prefix.append(' ').append(k).append('=').append(v));
        createdBy = prefix + " " + createdBy;
      }
      LayerStack rootfs = state.rootfs().plus(extracted, diffId);
      ImageConfig config =
          state
              .config()
              .withCreated(now)
              .withLayer(
                  output.digests().diffId(), new HistoryEntry(now, createdBy, null, null, false));
      return state.withLayer(config, layer, rootfs);
    } finally {
      FileTrees.delete(scratch);
    }
  }

  private StageState addLayer(
      StageState state, ImageConfig config, List<StagedEntry> entries, HistoryEntry history)
      throws IOException {
    return addLayer(state, config, entries, history, null, null);
  }

  /** Writes the entries as a layer, stores and extracts it, and appends it with its history. */
  private StageState addLayer(
      StageState state,
      ImageConfig config,
      List<StagedEntry> entries,
      HistoryEntry history,
      String copySummary,
      String destination)
      throws IOException {
    Path scratch = session.scratch();
    try {
      Path blob = scratch.resolve("layer.blob");
      LayerDigests digests;
      try (OutputStream out = Files.newOutputStream(blob)) {
        digests =
            new LayerWriter(
                    session.clock().sourceDateEpoch(), compression(), Optional.of(session.pieces()))
                .writeLayer(entries, out);
      }
      Descriptor layer = storeLayer(blob, digests);
      HistoryEntry entry = history;
      if (copySummary != null) {
        entry =
            new HistoryEntry(
                history.created(),
                "/bin/sh -c #(nop) "
                    + copySummary
                    + ":"
                    + digests.diffId().hex()
                    + " in "
                    + destination
                    + " ",
                null,
                null,
                false);
      }
      LayerStack rootfs =
          state
              .rootfs()
              .plus(session.layers().extracted(digests.diffId(), layer), digests.diffId());
      return state.withLayer(config.withLayer(digests.diffId(), entry), layer, rootfs);
    } finally {
      FileTrees.delete(scratch);
    }
  }

  private Descriptor storeLayer(Path blob, LayerDigests digests) throws IOException {
    session.store().moveBlob(digests.digest(), blob);
    session.listener().layer(node.name(), digests.size());
    return new Descriptor(
        MediaTypes.layer(compression()), digests.digest(), digests.size(), null, Map.of());
  }

  /** How this build compresses the layers it writes: the project's choice. */
  private LayerCompression compression() {
    return session.graph().project().compression();
  }

  /** The root filesystem of an earlier stage of this node or of an image, for --from. */
  private LayerStack rootfsOf(StageReference source, SourceSpan where) throws IOException {
    if (source instanceof StageReference.StageRef ref) {
      StageState done = finished.get(ref.index());
      if (done == null) {
        throw BuildException.at(where, "stage " + ref.name() + " has not been built");
      }
      return done.rootfs();
    }
    if (source instanceof StageReference.ImageRef image) {
      StoredImage stored = session.image(node, image.reference());
      return session.layers().stack(stored.manifest().layers(), stored.config().diffIds());
    }
    return LayerStack.empty();
  }

  /** The state a stage starts from. */
  private StageState from(ResolvedStage stage) throws IOException {
    current = stage;
    SourceSpan where = stage.stage().location();
    if (stage.platform().isPresent()) {
      String platform = stage.platform().get().toString();
      if (!platform.equals("linux/amd64")) {
        throw BuildException.at(
            where,
            "--platform="
                + platform
                + " is not supported: the native engine builds linux/amd64 only");
      }
    }
    StageReference base = stage.base();
    if (base instanceof StageReference.StageRef ref) {
      StageState parent = finished.get(ref.index());
      if (parent == null) {
        throw BuildException.at(where, "stage " + ref.name() + " has not been built");
      }
      return parent;
    }
    if (base instanceof StageReference.Scratch) {
      return new StageState(
          ImageConfig.scratch(Platform.LINUX_AMD64), List.of(), LayerStack.empty());
    }
    String reference = ((StageReference.ImageRef) base).reference();
    StoredImage image;
    try {
      image = session.image(node, reference);
    } catch (BuildException e) {
      throw BuildException.at(where, e.getMessage(), e);
    }
    Platform platform = image.config().platform();
    if (!platform.os().equals("linux") || !platform.architecture().equals("amd64")) {
      throw BuildException.at(
          where,
          reference
              + " is a "
              + platform.os()
              + "/"
              + platform.architecture()
              + " image; the native engine builds linux/amd64 only");
    }
    List<Descriptor> layers = new ArrayList<>();
    for (Descriptor d : image.manifest().layers()) {
      layers.add(
          new Descriptor(
              MediaTypes.ociLayer(d.mediaType()), d.digest(), d.size(), null, d.annotations()));
    }
    LayerStack rootfs = session.layers().stack(layers, image.config().diffIds());
    return new StageState(ConfigInstructions.withDefaultPath(image.config()), layers, rootfs);
  }

  /** Runs the base image's ONBUILD triggers right after FROM, then clears them. */
  private StageState onbuild(ResolvedStage stage, StageState state, String fromKey)
      throws IOException {
    List<String> triggers = ConfigInstructions.strings(state.config(), "OnBuild");
    if (triggers.isEmpty()) {
      return state;
    }
    String text = "FROM scratch\n" + String.join("\n", triggers) + "\n";
    String source = "ONBUILD of " + stage.baseName();
    List<Instruction> instructions;
    try {
      Containerfile file = InstructionParser.read(text.getBytes(StandardCharsets.UTF_8), source);
      instructions =
          Evaluator.evaluate(file, EvaluationOptions.withBuildArgs(node.config().args()))
              .stages()
              .get(0)
              .instructions();
    } catch (ContainerfileException e) {
      throw BuildException.at(stage.stage().location(), "ONBUILD trigger: " + e.render(), e);
    }
    StageState current =
        state.withConfig(
            state
                .config()
                .withConfigField(
                    "OnBuild",
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.nullNode()));
    String key = fromKey;
    for (Instruction instruction : instructions) {
      key = Digest.sha256(key + "\0onbuild\0" + instruction.location().original()).toString();
      Optional<StepCache.Entry> hit = session.cache().lookup(key);
      if (hit.isPresent()) {
        current = restore(hit.get());
        reused++;
        continue;
      }
      current = execute(instruction, current, Map.of(), false);
      built++;
      session.cache().save(key, entry(current));
    }
    return current;
  }

  private StageState restore(StepCache.Entry entry) throws IOException {
    ImageConfig config = ImageConfig.parse(session.store().readBlob(entry.config().digest()));
    LayerStack rootfs = session.layers().stack(entry.layers(), config.diffIds());
    return new StageState(config, entry.layers(), rootfs);
  }

  private StepCache.Entry entry(StageState state) throws IOException {
    Descriptor config = session.store().putBlob(state.config().render());
    return new StepCache.Entry(config, state.layers());
  }
}
