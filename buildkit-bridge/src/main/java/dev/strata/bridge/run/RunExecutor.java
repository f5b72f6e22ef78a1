package dev.strata.bridge.run;

import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.rootfs.RootfsCopy;
import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.bridge.rootfs.UserDatabase;
import dev.strata.dsl.instructions.NetworkMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Executes RUN steps: mounts the stage's layers as overlayfs lowers under a fresh upperdir, runs
 * the command in a sandbox (an OCI runtime from a generated bundle, bubblewrap, or unshare+chroot),
 * streams its output, enforces the timeout, and hands back the upperdir as a {@link RunResult}.
 * Where overlayfs is not available ({@link RunDiffMode}), the sandbox runs on a copy of the layers
 * instead and the result is the walking diff of that copy ({@link WalkingDiff}). The overlay lives
 * in a private mount namespace of the sandbox's launcher, so the kernel drops it when the sandbox
 * ends however Strata ends; sandboxes a killed Strata leaves running are removed by the next
 * executor ({@link RunJanitor}). Needs root.
 */
public final class RunExecutor {
  static final String DEFAULT_PATH =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  static final String HOSTNAME = "buildkitsandbox";
  static final String HOST_PATH =
      System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin") + ":/usr/sbin:/sbin";

  private final Path workRoot;
  private final Path bundleRoot;
  private final Path runtimeState;
  private final CacheVolumes caches;
  private final SandboxRuntime runtime;
  private final boolean walking;
  private final Optional<String> notice;
  private HostSetpriv setpriv;

  private RunExecutor(
      Path workRoot,
      Path bundleRoot,
      Path runtimeState,
      Path cacheRoot,
      SandboxRuntime runtime,
      boolean walking,
      Optional<String> notice) {
    this.workRoot = workRoot;
    this.bundleRoot = bundleRoot;
    this.runtimeState = runtimeState;
    this.caches = new CacheVolumes(cacheRoot);
    this.runtime = runtime;
    this.walking = walking;
    this.notice = notice;
  }

  /**
   * An executor keeping scratch space and runtime state below {@code workRoot} (on a filesystem
   * overlayfs accepts as upper: ext4, xfs, tmpfs) and cache mounts below {@code cacheRoot}; {@code
   * runtime} forces one ({@code --runtime}) or, empty or {@code auto}, probes. How changes are
   * captured comes from {@value RunDiffMode#ENVIRONMENT}. First removes what dead Strata processes
   * left behind.
   */
  public static RunExecutor open(Path workRoot, Path cacheRoot, Optional<String> runtime)
      throws IOException {
    RunDiffMode diff;
    try {
      diff = RunDiffMode.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      throw new RunSetupException(e.getMessage());
    }
    return open(workRoot, cacheRoot, runtime, diff);
  }

  /**
   * An executor as {@link #open(Path, Path, Optional)} opens it, capturing changes as {@code diff}
   * says: {@link RunDiffMode#AUTO} mounts a test overlay below {@code workRoot} once and falls back
   * to the walking diff when the kernel refuses it ({@link #notice()} then says why).
   */
  public static RunExecutor open(
      Path workRoot, Path cacheRoot, Optional<String> runtime, RunDiffMode diff)
      throws IOException {
    if (!Posix.isRoot()) {
      throw new RunSetupException(
          "RUN needs root (overlay mounts and an OCI runtime); run strata build as root");
    }
    SandboxRuntime chosen = SandboxRuntime.choose(runtime);
    Path shm = Path.of("/dev/shm");
    // Bundles hold secrets (files and env): keep them in memory when the host allows.
    Path bundles =
        Files.isDirectory(shm) && Files.isWritable(shm)
            ? shm.resolve("strata-run")
            : workRoot.resolve("bundles");
    Files.createDirectories(workRoot);
    Files.createDirectories(bundles);
    Posix.chmod(bundles, 0700);
    Path state = workRoot.resolve("runtime-state");
    Files.createDirectories(state);
    new RunJanitor(workRoot, bundles, state).sweep();
    Optional<String> notice = Optional.empty();
    boolean walking = diff == RunDiffMode.WALK;
    if (diff == RunDiffMode.AUTO) {
      Optional<String> refused = OverlayProbe.failure(workRoot);
      walking = refused.isPresent();
      notice =
          refused.map(
              why ->
                  "overlayfs is not available below "
                      + workRoot
                      + " ("
                      + why
                      + "); RUN works on a copy of the rootfs and a walking diff (slower; "
                      + RunDiffMode.ENVIRONMENT
                      + "=walk hides this note)");
    }
    return new RunExecutor(workRoot, bundles, state, cacheRoot, chosen, walking, notice);
  }

  /** How this executor captures a RUN's changes: {@link RunDiffMode#OVERLAY} or {@code WALK}. */
  public RunDiffMode diffMode() {
    return walking ? RunDiffMode.WALK : RunDiffMode.OVERLAY;
  }

  /** A one-line note for the user when the executor fell back to the walking diff by itself. */
  public Optional<String> notice() {
    return notice;
  }

  /** The host's setpriv for bwrap and chroot, located on first use. */
  private synchronized HostSetpriv hostSetpriv() throws RunSetupException {
    if (setpriv == null) {
      setpriv = HostSetpriv.locate();
    }
    return setpriv;
  }

  /** The runtime this executor uses. */
  public SandboxRuntime runtime() {
    return runtime;
  }

  /**
   * Runs {@code request}; the returned result holds the changes until closed. A non-zero exit is a
   * result, not an exception; a sandbox that cannot be set up is a {@link RunSetupException}.
   */
  public RunResult run(RunRequest request) throws IOException {
    return run(request, CacheTurns.Turn.ANY);
  }

  /**
   * Runs {@code request} for {@code turn}'s node: its locked cache mounts are taken in the build's
   * order ({@link CacheTurns}).
   */
  public RunResult run(RunRequest request, CacheTurns.Turn turn) throws IOException {
    String id = RunJanitor.newId();
    Path scratch = workRoot.resolve(id);
    Path bundle = bundleRoot.resolve(id);
    boolean handedOver = false;
    List<CacheVolumes.Lease> leases = new ArrayList<>();
    try {
      Files.createDirectories(scratch);
      Files.createDirectories(bundle);
      Posix.chmod(bundle, 0700);
      for (String d : List.of("upper", "work", "merged", "l", "scaffold", "empty")) {
        Files.createDirectory(scratch.resolve(d));
      }
      RootfsView lowers = RootfsView.ofDirectories(request.layers());
      MountScaffold scaffold = new MountScaffold(lowers, scratch.resolve("scaffold"));
      Sandbox sandbox = new Sandbox(scratch, bundle, lowers, scaffold);
      sandbox.prepare(request, leases, turn);
      scaffold.restoreTimes();
      Path merged = scratch.resolve("merged");
      RootfsSnapshot before = null;
      if (walking) {
        // The scaffold on top, as the overlay would stack it: its stubs are in the snapshot.
        List<Path> stack = new ArrayList<>(request.layers());
        stack.add(scratch.resolve("scaffold"));
        RootfsCopy.materialise(RootfsView.ofDirectories(stack), merged);
        before = RootfsSnapshot.of(merged);
      }

      long started = System.nanoTime();
      Outcome outcome = sandbox.execute(id, request);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      RunResult result =
          walking
              ? new RunResult(
                  outcome.exitCode,
                  outcome.timedOut,
                  elapsed,
                  merged,
                  WalkingDiff.between(
                      before, RootfsSnapshot.of(merged), merged, lowers, sandbox.mountPoints),
                  scratch)
              : new RunResult(
                  outcome.exitCode,
                  outcome.timedOut,
                  elapsed,
                  scratch.resolve("upper"),
                  new UpperdirDiff(lowers, sandbox.mountPoints),
                  scratch);
      handedOver = true;
      return result;
    } finally {
      for (CacheVolumes.Lease lease : leases) {
        lease.close();
      }
      // A container that exited by itself was deleted by `runc run`, its state folder with it;
      // one that is still known (killed, timed out, or never started) is deleted here.
      Path containerState = runtimeState.resolve(runtime.id()).resolve(id);
      if (runtime.isOci() && Files.exists(containerState, LinkOption.NOFOLLOW_LINKS)) {
        RunJanitor.run(
            runtime.executable().orElseThrow().toString(),
            "--root",
            runtimeState.resolve(runtime.id()).toString(),
            "delete",
            "--force",
            id);
      }
      RunJanitor.deleteTree(bundle);
      if (!handedOver) {
        RunJanitor.unmountBelow(scratch);
        RunJanitor.deleteTree(scratch);
      }
    }
  }

  private record Outcome(int exitCode, boolean timedOut) {}

  /**
   * Layer directories (bottom first) as an overlay's {@code lowerdir} lists them: top first, each
   * directory once, at its topmost place. Two equal layers in one image (two RUNs that changed
   * nothing but cache mounts both give the empty layer) share one extracted directory, and
   * overlayfs refuses a lower listed twice ("Too many levels of symbolic links": overlapping
   * layers). The view is the same: a layer above already decides every path the lower copy has.
   */
  static List<Path> topFirstOnce(List<Path> bottomFirst) {
    Set<Path> seen = new LinkedHashSet<>();
    for (int i = bottomFirst.size() - 1; i >= 0; i--) {
      seen.add(bottomFirst.get(i).toAbsolutePath().normalize());
    }
    return List.copyOf(seen);
  }

  /** One RUN's sandbox while it is being set up and run. */
  private final class Sandbox {
    final Path scratch;
    final Path bundle;
    final RootfsView lowers;
    final MountScaffold scaffold;
    final Set<String> mountPoints = new HashSet<>();
    final List<OciRuntimeSpec.Mount> mounts = new ArrayList<>();
    final List<String> env = new ArrayList<>();
    final List<String> setup = new ArrayList<>();
    String workdir;

    Sandbox(Path scratch, Path bundle, RootfsView lowers, MountScaffold scaffold) {
      this.scratch = scratch;
      this.bundle = bundle;
      this.lowers = lowers;
      this.scaffold = scaffold;
    }

    void prepare(RunRequest request, List<CacheVolumes.Lease> leases, CacheTurns.Turn turn)
        throws IOException {
      for (String dir : List.of("/proc", "/sys", "/dev")) {
        mountPoints.add(scaffold.ensure(dir, false));
      }
      writeBundleFile("hosts", hosts());
      writeBundleFile("resolv.conf", resolvConf(request.network()));
      writeBundleFile("hostname", HOSTNAME + "\n");
      for (String name : List.of("hosts", "resolv.conf", "hostname")) {
        mount(
            "/etc/" + name,
            true,
            OciRuntimeSpec.Mount.bind("/etc/" + name, bundle.resolve(name), true));
      }
      env.addAll(request.env());
      if (env.stream().noneMatch(e -> e.startsWith("PATH="))) {
        env.add(0, DEFAULT_PATH);
      }
      int n = 0;
      for (SandboxMount m : request.mounts()) {
        n++;
        if (m instanceof SandboxMount.Cache c) {
          CacheVolumes.Lease lease = caches.acquire(c, turn);
          leases.add(lease);
          cache(c, lease, n);
        } else if (m instanceof SandboxMount.Secret s) {
          if (s.target() != null) {
            Path dir = Files.createDirectories(bundle.resolve("secrets"));
            Path file = dir.resolve(Integer.toString(n));
            Files.write(file, s.value());
            Posix.lchown(file, s.uid(), s.gid());
            Posix.chmod(file, s.mode());
            mount(s.target(), true, OciRuntimeSpec.Mount.bind(s.target(), file, true));
          }
          if (s.env() != null) {
            env.add(s.env() + "=" + new String(s.value(), StandardCharsets.UTF_8));
          }
        } else if (m instanceof SandboxMount.Bind b) {
          bind(b, n);
        } else if (m instanceof SandboxMount.ImageBind b) {
          imageBind(b, n);
        } else if (m instanceof SandboxMount.Tmpfs t) {
          List<String> options = new ArrayList<>(List.of("nosuid", "nodev"));
          if (t.sizeBytes() > 0) {
            options.add("size=" + t.sizeBytes());
          }
          mount(t.target(), false, new OciRuntimeSpec.Mount(t.target(), "tmpfs", "tmpfs", options));
        } else if (m instanceof SandboxMount.Ssh s) {
          mount(s.target(), true, OciRuntimeSpec.Mount.bind(s.target(), s.socket(), false));
          env.add("SSH_AUTH_SOCK=" + s.target());
        }
      }
      if (!request.command().pipes().isEmpty()) {
        Path pipes = Files.createDirectories(bundle.resolve("pipes"));
        for (var e : request.command().pipes().entrySet()) {
          Path script = pipes.resolve(e.getKey());
          Files.writeString(script, e.getValue(), StandardCharsets.UTF_8);
          Posix.chmod(script, 0755);
        }
        mounts.add(OciRuntimeSpec.Mount.bind(RunCommand.PIPES_DIR, pipes, true));
      }
      workdir = lowers.resolve(request.workdir(), true);
      if (!workdir.equals("/") && !lowers.exists(workdir)) {
        // Created through the mounted overlay so its parents are copied up as they are.
        setup.add("mkdir -p -- " + quote("merged" + workdir));
      }
    }

    private void mount(String target, boolean file, OciRuntimeSpec.Mount spec) throws IOException {
      if (!isUnderKernelMount(target)) {
        mountPoints.add(scaffold.ensure(target, file));
      }
      mounts.add(spec);
    }

    private void bind(SandboxMount.Bind b, int n) throws IOException {
      boolean file = !Files.isDirectory(b.source());
      if (!b.readWrite()) {
        mount(b.target(), file, OciRuntimeSpec.Mount.bind(b.target(), b.source(), true));
        return;
      }
      // Writes to a rw bind are discarded (BuildKit): a copy for a file, an overlay for a dir.
      Path dir = Files.createDirectories(scratch.resolve("binds").resolve(Integer.toString(n)));
      if (file) {
        Path copy = dir.resolve("file");
        Files.copy(b.source(), copy, StandardCopyOption.COPY_ATTRIBUTES);
        mount(b.target(), true, OciRuntimeSpec.Mount.bind(b.target(), copy, false));
        return;
      }
      for (String d : List.of("u", "w", "m")) {
        Files.createDirectory(dir.resolve(d));
      }
      if (walking) {
        // No overlay to take the writes: a copy of the folder, thrown away with the scratch.
        setup.add("cp -a -- " + quote(b.source() + "/.") + " " + quote("binds/" + n + "/m"));
        mount(b.target(), false, OciRuntimeSpec.Mount.bind(b.target(), dir.resolve("m"), false));
        return;
      }
      Path link = scratch.resolve("l").resolve("b" + n);
      Files.createSymbolicLink(link, b.source());
      String rel = "binds/" + n + "/";
      setup.add(
          "mount -t overlay overlay -o "
              + quote("lowerdir=l/b" + n + ",upperdir=" + rel + "u,workdir=" + rel + "w")
              + " "
              + quote(rel + "m"));
      mount(b.target(), false, OciRuntimeSpec.Mount.bind(b.target(), dir.resolve("m"), false));
    }

    /**
     * A cache instance: its directory, or for one seeded from another rootfs an overlay of that
     * rootfs's layers with the instance's persistent upper and work directories, mounted before the
     * sandbox starts; the target binds the cache's source inside it.
     */
    private void cache(SandboxMount.Cache c, CacheVolumes.Lease lease, int n) throws IOException {
      Path root = lease.dir;
      if (c.seed().layered()) {
        if (walking) {
          throw new RunSetupException(
              "a cache mount seeded with from= keeps its changes in an overlay upperdir, and"
                  + " overlayfs is not available here ("
                  + RunDiffMode.ENVIRONMENT
                  + "=walk or refused by the kernel); drop from= or build on a host with"
                  + " overlayfs");
        }
        Path dir = Files.createDirectories(scratch.resolve("caches").resolve(Integer.toString(n)));
        Path links = scratch.resolve("l");
        Files.createSymbolicLink(links.resolve("c" + n + "u"), lease.upper().toAbsolutePath());
        Files.createSymbolicLink(links.resolve("c" + n + "w"), lease.work().toAbsolutePath());
        root = Files.createDirectory(dir.resolve("m"));
        overlay("c" + n, c.seed().layers(), "l/c" + n + "u", "l/c" + n + "w", "caches/" + n + "/m");
      }
      CacheVolumes.Lease.Entry entry = lease.resolve(c.source(), c.from());
      Path source = entry.path().equals("/") ? root : root.resolve(entry.path().substring(1));
      mount(
          c.target(),
          !entry.directory(),
          OciRuntimeSpec.Mount.bind(c.target(), source, c.readOnly()));
    }

    /**
     * Adds the setup line mounting an overlay of {@code layers} (bottom first; none: an empty
     * lower) with {@code upper} and {@code work} at {@code merged}, all relative to the scratch
     * folder; {@code name} names the lower links.
     */
    private void overlay(String name, List<Path> layers, String upper, String work, String merged)
        throws IOException {
      List<String> lowerNames = new ArrayList<>();
      List<Path> topFirst = topFirstOnce(layers);
      for (int i = 0; i < topFirst.size(); i++) {
        Path link = scratch.resolve("l").resolve(name + "-" + i);
        Files.createSymbolicLink(link, topFirst.get(i).toAbsolutePath());
        lowerNames.add("l/" + name + "-" + i);
      }
      if (lowerNames.isEmpty()) {
        lowerNames.add("empty");
      }
      setup.add(
          "mount -t overlay overlay -o "
              + quote(
                  "lowerdir="
                      + String.join(":", lowerNames)
                      + ",upperdir="
                      + upper
                      + ",workdir="
                      + work
                      + ",index=off,metacopy=off,redirect_dir=off")
              + " "
              + quote(merged));
    }

    /**
     * Another rootfs, merged by an overlay of its layers mounted before the sandbox starts (an
     * upperdir takes, and discards, writes); the target binds the path inside it.
     */
    private void imageBind(SandboxMount.ImageBind b, int n) throws IOException {
      Path dir = Files.createDirectories(scratch.resolve("binds").resolve(Integer.toString(n)));
      for (String d : List.of("u", "w", "m")) {
        Files.createDirectory(dir.resolve(d));
      }
      String rel = "binds/" + n + "/";
      if (walking) {
        // No overlay: a copy of the other rootfs, which takes (and discards) the writes.
        RootfsCopy.materialise(RootfsView.ofDirectories(b.layers()), dir.resolve("m"));
      } else {
        overlay("b" + n, b.layers(), rel + "u", rel + "w", rel + "m");
      }
      Path source = dir.resolve("m").resolve(b.path().substring(1));
      mount(
          b.target(),
          !b.directory(),
          OciRuntimeSpec.Mount.bind(
              b.target(), b.path().equals("/") ? dir.resolve("m") : source, !b.readWrite()));
    }

    private boolean isUnderKernelMount(String target) {
      List<String> parts = RootfsView.components(target);
      return !parts.isEmpty()
          && List.of("dev", "proc", "sys").contains(parts.get(0))
          && parts.size() > 1;
    }

    private void writeBundleFile(String name, String content) throws IOException {
      Path file = bundle.resolve(name);
      Files.writeString(file, content, StandardCharsets.UTF_8);
      Posix.chmod(file, 0644);
    }

    Outcome execute(String id, RunRequest request) throws IOException {
      List<String> script = new ArrayList<>();
      script.add("set -e");
      NamespaceSandbox.Launch namespaces = runtime.isOci() ? null : namespaceLaunch(request);
      if (namespaces != null && envValue("HOME").isEmpty()) {
        // runc sets HOME from the image's passwd when the environment lacks it; so do these.
        env.add("HOME=" + UserDatabase.of(lowers).home(request.user().uid()));
      }
      if (namespaces != null) {
        // The launcher's environment is the RUN's: host tools are found on the host's PATH.
        script.add("PATH=" + quote(HOST_PATH));
      }
      if (!walking) {
        script.add("mount -t overlay overlay -o " + quote(overlayOptions(request)) + " merged");
      }
      script.addAll(setup);
      if (namespaces != null) {
        script.addAll(namespaces.setup());
      }
      script.add(": > .started");
      if (namespaces != null) {
        script.addAll(envRestore());
        script.add("exec " + words(namespaces.exec()));
      } else {
        script.add("exec " + launch(id, request));
      }

      List<String> command =
          new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--", "unshare", "--mount"));
      if (namespaces != null) {
        command.addAll(namespaces.launcherFlags());
      }
      command.addAll(
          List.of("--propagation", "private", "--", "/bin/sh", "-c", String.join("\n", script)));
      ProcessBuilder builder = new ProcessBuilder(command).directory(scratch.toFile());
      if (namespaces != null) {
        builder.environment().clear();
        for (String e : env) {
          int eq = e.indexOf('=');
          builder.environment().put(e.substring(0, eq), e.substring(eq + 1));
        }
      }
      Process process = builder.start();
      process.getOutputStream().close();
      ByteArrayOutputStream errorTail = new ByteArrayOutputStream();
      Thread out = pump(process.getInputStream(), request.output(), false, null);
      Thread err = pump(process.getErrorStream(), request.output(), true, errorTail);
      boolean timedOut = false;
      try {
        if (request.timeout().isZero()) {
          process.waitFor();
        } else if (!process.waitFor(request.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
          timedOut = true;
          kill(id, process);
          process.waitFor();
        }
        out.join();
        err.join();
      } catch (InterruptedException e) {
        kill(id, process);
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while RUN was executing; the sandbox was killed", e);
      }
      if (!Files.exists(scratch.resolve(".started"))) {
        throw new RunSetupException(
            "could not set up the RUN sandbox"
                + (walking ? ": " : " (overlay mount): ")
                + errorTail.toString(StandardCharsets.UTF_8).strip());
      }
      return new Outcome(process.exitValue(), timedOut);
    }

    /**
     * The overlay mount options: the scaffold and the layers, top first, as short links below
     * {@code l/} (the mount data is limited to a page).
     */
    private String overlayOptions(RunRequest request) throws IOException {
      List<String> lowerNames = new ArrayList<>();
      Path links = scratch.resolve("l");
      if (!scaffold.isEmpty()) {
        Files.createSymbolicLink(links.resolve("s"), scratch.resolve("scaffold"));
        lowerNames.add("l/s");
      }
      List<Path> layers = topFirstOnce(request.layers());
      for (int i = 0; i < layers.size(); i++) {
        Files.createSymbolicLink(
            links.resolve(Integer.toString(i)), layers.get(i).toAbsolutePath());
        lowerNames.add("l/" + i);
      }
      if (lowerNames.isEmpty()) {
        lowerNames.add("empty");
      }
      String options =
          "lowerdir="
              + String.join(":", lowerNames)
              + ",upperdir=upper,workdir=work,index=off,metacopy=off,redirect_dir=off";
      if (options.length() > 4000) {
        throw new RunSetupException(
            "too many layers for one overlay mount ("
                + layers.size()
                + "); squash the base image below about 500 layers, or use "
                + RunDiffMode.ENVIRONMENT
                + "=walk");
      }
      return options;
    }

    private String launch(String id, RunRequest request) throws IOException {
      Path merged = scratch.resolve("merged");
      List<String> words = new ArrayList<>();
      switch (runtime) {
        case RUNC, CRUN -> {
          byte[] config =
              OciRuntimeSpec.render(
                  merged,
                  request.command().argv(),
                  env,
                  request.user(),
                  request.groups(),
                  workdir,
                  HOSTNAME,
                  request.network(),
                  mounts);
          Files.write(bundle.resolve("config.json"), config);
          words.addAll(
              List.of(
                  runtime.executable().orElseThrow().toString(),
                  "--root",
                  runtimeState.resolve(runtime.id()).toString(),
                  "run",
                  "--bundle",
                  bundle.toString(),
                  id));
        }
        case BWRAP, CHROOT -> throw new IllegalStateException("not an OCI runtime: " + runtime);
      }
      return words(words);
    }

    private NamespaceSandbox.Launch namespaceLaunch(RunRequest request) throws IOException {
      HostSetpriv setpriv = hostSetpriv();
      Path program = runtime.executable().orElseThrow();
      return runtime == SandboxRuntime.BWRAP
          ? NamespaceSandbox.bwrap(
              program,
              setpriv,
              request,
              lowers,
              mounts,
              workdir,
              HOSTNAME,
              emptyFile(),
              syncFilterFile())
          : NamespaceSandbox.chroot(
              program, setpriv, request, lowers, mounts, workdir, HOSTNAME, envRestore());
    }

    /**
     * Shell lines giving back the RUN's PATH (the launcher used the host's) and PWD (a shell
     * exports its own; the command gets the RUN's, as runc gives it).
     */
    private List<String> envRestore() {
      return List.of(
          "PATH=" + quote(envValue("PATH").orElse("")),
          envValue("PWD").map(v -> "PWD=" + quote(v) + "; export PWD").orElse("unset PWD"));
    }

    /** {@link SyncFilter}'s program for bubblewrap, in the bundle; empty on an unknown arch. */
    private Optional<Path> syncFilterFile() throws IOException {
      Optional<byte[]> program = SyncFilter.bpfProgram(System.getProperty("os.arch"));
      if (program.isEmpty()) {
        return Optional.empty();
      }
      Path file = bundle.resolve("sync-filter.bpf");
      Files.write(file, program.get());
      return Optional.of(file);
    }

    /** An empty read-only file of the bundle, to mask kernel files with. */
    private Path emptyFile() throws IOException {
      Path file = bundle.resolve("masked");
      Files.write(file, new byte[0]);
      Posix.chmod(file, 0444);
      return file;
    }

    /** The value of {@code name} in the RUN's environment (the last one wins, as in execve). */
    private Optional<String> envValue(String name) {
      Optional<String> value = Optional.empty();
      for (String e : env) {
        if (e.startsWith(name + "=")) {
          value = Optional.of(e.substring(name.length() + 1));
        }
      }
      return value;
    }

    private void kill(String id, Process process) {
      if (runtime.isOci()) {
        RunJanitor.run(
            runtime.executable().orElseThrow().toString(),
            "--root",
            runtimeState.resolve(runtime.id()).toString(),
            "kill",
            id,
            "KILL");
      }
      process.destroyForcibly();
    }
  }

  private static Thread pump(
      InputStream in, RunOutput sink, boolean stderr, ByteArrayOutputStream tail) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                  if (stderr) {
                    sink.stderr(buffer, 0, n);
                  } else {
                    sink.stdout(buffer, 0, n);
                  }
                  if (tail != null && tail.size() < 16384) {
                    tail.write(buffer, 0, n);
                  }
                }
              } catch (IOException ignored) {
                // the process ended; nothing more to read
              }
            },
            stderr ? "run-stderr" : "run-stdout");
    t.setDaemon(true);
    t.start();
    return t;
  }

  static String hosts() {
    return "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t"
        + HOSTNAME
        + "\n";
  }

  /** The host's resolver for host networking; systemd-resolved's stub replaced by its upstreams. */
  static String resolvConf(NetworkMode network) throws IOException {
    Path host = Path.of("/etc/resolv.conf");
    Path upstream = Path.of("/run/systemd/resolve/resolv.conf");
    String content = Files.isReadable(host) ? Files.readString(host) : "";
    if (content.contains("nameserver 127.0.0.53") && Files.isReadable(upstream)) {
      content = Files.readString(upstream);
    }
    if (network == NetworkMode.NONE) {
      return "";
    }
    return content;
  }

  static String words(List<String> words) {
    StringBuilder line = new StringBuilder();
    for (String w : words) {
      line.append(quote(w)).append(' ');
    }
    return line.toString().strip();
  }

  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
