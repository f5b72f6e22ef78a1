package dev.strata.bridge.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.bridge.build.BuildException;
import dev.strata.bridge.build.RunStep;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.rootfs.Owner;
import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.bridge.rootfs.UnknownOwnerException;
import dev.strata.bridge.rootfs.UserDatabase;
import dev.strata.bridge.tar.LayerDigests;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.dsl.instructions.Run;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The engine's {@link RunStep} on the {@link RunExecutor}: a RUN runs as the image config says (Env
 * plus the build args in scope, User resolved through the image's own passwd and group, WorkingDir,
 * Shell), with its mounts (bind sources from the build context or another stage, {@code --secret}
 * values, caches kept in the store), and its upperdir becomes the layer. The executor is opened on
 * the first RUN, so builds without RUN need neither root nor a runtime.
 */
public final class SandboxRunStep implements RunStep {
  private static final int ERROR_TAIL_LINES = 15;

  private final Path workRoot;
  private final Path cacheRoot;
  private final Optional<String> runtime;
  private final BuildSecrets secrets;
  private RunExecutor executor;
  private FutureTask<RunExecutor> opening;
  private boolean noticeShown;

  /**
   * RUN steps whose scratch space lives below {@code workRoot}, whose cache mounts persist below
   * {@code cacheRoot}, run by {@code runtime} (empty or {@code auto} to probe) with {@code
   * secrets}.
   */
  public SandboxRunStep(
      Path workRoot, Path cacheRoot, Optional<String> runtime, BuildSecrets secrets) {
    this.workRoot = workRoot;
    this.cacheRoot = cacheRoot;
    this.runtime = runtime;
    this.secrets = secrets;
  }

  /** RUN steps keeping their scratch space and caches in the store at {@code storeRoot}. */
  public static SandboxRunStep inStore(
      Path storeRoot, Optional<String> runtime, BuildSecrets secrets) {
    return new SandboxRunStep(
        storeRoot.resolve("tmp").resolve("run"),
        storeRoot.resolve("cache").resolve("mounts"),
        runtime,
        secrets);
  }

  /**
   * The executor, opened on first use; the first RUN to get it shows the user why it fell back to
   * the walking diff, if it did.
   */
  private synchronized RunExecutor executor(RunStep.OutputLines output) throws IOException {
    if (executor == null && opening != null) {
      executor = opened(opening);
    }
    if (executor == null) {
      executor = RunExecutor.open(workRoot, cacheRoot, runtime);
    }
    if (!noticeShown && executor.notice().isPresent()) {
      noticeShown = true;
      output.line("strata: note: " + executor.notice().get(), true);
    }
    return executor;
  }

  /**
   * Opens the executor on a thread of its own (the janitor's sweep and the overlay probe start
   * processes: tens of milliseconds) while the build does the steps before the RUN; a failure is
   * reported by the RUN, as when it opens the executor itself.
   */
  @Override
  public synchronized void expect() {
    if (executor != null || opening != null) {
      return;
    }
    opening = new FutureTask<>(() -> RunExecutor.open(workRoot, cacheRoot, runtime));
    Thread thread = new Thread(opening, "strata-run-setup");
    thread.setDaemon(true);
    thread.start();
  }

  private static RunExecutor opened(FutureTask<RunExecutor> opening) throws IOException {
    try {
      return opening.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while setting up the RUN executor", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException("could not set up the RUN executor: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public RunOutput run(RunInput input) throws IOException {
    Run run = input.instruction();
    ImageConfig config = input.config();
    RootfsView view = new RootfsView(input.rootfs());
    String workdir = text(config, "WorkingDir").filter(s -> !s.isEmpty()).orElse("/");
    RunRequest request;
    try {
      List<String> shell = strings(config, "Shell");
      RunCommand command = RunCommand.of(run, shell.isEmpty() ? List.of("/bin/sh", "-c") : shell);
      request =
          RunRequest.of(input.rootfs().directories(), command, environment(config, input))
              .withWorkdir(workdir)
              .withNetwork(run.network())
              .withMounts(
                  RunMounts.resolve(
                      run.mounts(),
                      input.contextDirectory(),
                      input.mountSources(),
                      secrets,
                      workdir));
      String program = command.argv().get(0);
      if (program.startsWith("/")
          && !program.startsWith(RunCommand.PIPES_DIR + "/")
          && view.follow(program).isEmpty()) {
        throw BuildException.at(
            run.location(),
            "RUN needs "
                + program
                + ", which the image does not have; use a base with a shell, set SHELL, or use"
                + " the exec form RUN [\"program\", \"arg\"]");
      }
      String user = text(config, "User").orElse("");
      if (!user.isEmpty()) {
        UserDatabase users = UserDatabase.of(view);
        Owner owner = users.resolve(user);
        request = request.withUser(owner, users.supplementaryGroups(user));
      }
    } catch (UnknownOwnerException e) {
      throw BuildException.at(run.location(), "USER: " + e.getMessage(), e);
    } catch (RunSetupException | IllegalArgumentException e) {
      throw BuildException.at(run.location(), e.getMessage(), e);
    }
    Tail tail = new Tail(input.output());
    request = request.withOutput(tail).withTimeout(Duration.ZERO);
    RunResult result;
    try {
      result = executor(input.output()).run(request, input.turn());
    } catch (RunSetupException e) {
      throw BuildException.at(run.location(), e.getMessage(), e);
    }
    try (result) {
      tail.flush();
      if (!result.succeeded()) {
        throw BuildException.at(
            run.location(),
            "RUN "
                + (result.timedOut() ? "timed out" : "exited with code " + result.exitCode())
                + tail.summary());
      }
      Path layer = input.scratch().resolve("run-layer.blob");
      Path tree = input.scratch().resolve("run-layer");
      LayerDigests digests;
      try (OutputStream out = Files.newOutputStream(layer)) {
        digests =
            result.writeLayerAndExtract(
                new LayerWriter(input.sourceDateEpoch(), input.compression(), input.pieces()),
                out,
                tree);
      }
      return new RunStep.RunOutput(layer, digests, Optional.of(tree));
    }
  }

  /** The image's Env, then the build args in scope that Env does not set. */
  private static List<String> environment(ImageConfig config, RunInput input) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : strings(config, "Env")) {
      int eq = e.indexOf('=');
      if (eq > 0) {
        env.put(e.substring(0, eq), e.substring(eq + 1));
      }
    }
    input.buildArgs().forEach(env::putIfAbsent);
    List<String> out = new ArrayList<>();
    env.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  private static Optional<String> text(ImageConfig config, String field) {
    return config.configField(field).filter(JsonNode::isTextual).map(JsonNode::asText);
  }

  private static List<String> strings(ImageConfig config, String field) {
    List<String> out = new ArrayList<>();
    config
        .configField(field)
        .filter(JsonNode::isArray)
        .ifPresent(a -> a.forEach(n -> out.add(n.asText())));
    return out;
  }

  /** Splits output into lines for the build's listener and keeps the last few for an error. */
  private static final class Tail implements dev.strata.bridge.run.RunOutput {
    private final RunStep.OutputLines lines;
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    private final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    private final Deque<String> last = new ArrayDeque<>();

    Tail(RunStep.OutputLines lines) {
      this.lines = lines;
    }

    @Override
    public synchronized void stdout(byte[] bytes, int offset, int length) {
      append(out, bytes, offset, length, false);
    }

    @Override
    public synchronized void stderr(byte[] bytes, int offset, int length) {
      append(err, bytes, offset, length, true);
    }

    /** Splits on newline bytes, so a character split across two reads stays whole. */
    private void append(
        java.io.ByteArrayOutputStream buffer, byte[] b, int off, int len, boolean stderr) {
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          emit(buffer.toString(java.nio.charset.StandardCharsets.UTF_8), stderr);
          buffer.reset();
        } else {
          buffer.write(b[i]);
        }
      }
    }

    private void emit(String line, boolean stderr) {
      lines.line(line, stderr);
      last.addLast(line);
      if (last.size() > ERROR_TAIL_LINES) {
        last.removeFirst();
      }
    }

    synchronized void flush() {
      if (out.size() > 0) {
        emit(out.toString(java.nio.charset.StandardCharsets.UTF_8), false);
        out.reset();
      }
      if (err.size() > 0) {
        emit(err.toString(java.nio.charset.StandardCharsets.UTF_8), true);
        err.reset();
      }
    }

    synchronized String summary() {
      return last.isEmpty() ? "" : "; its last output:\n  " + String.join("\n  ", last);
    }
  }
}
