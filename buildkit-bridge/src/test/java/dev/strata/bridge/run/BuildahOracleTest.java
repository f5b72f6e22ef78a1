package dev.strata.bridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.bridge.build.RunStep;
import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.HistoryEntry;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.rootfs.Owner;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.bridge.tar.LayerDigests;
import dev.strata.bridge.tar.LayerExtractor;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.bridge.tar.TreeSnapshot;
import dev.strata.bridge.tar.WhiteoutMode;
import dev.strata.dsl.eval.Evaluator;
import dev.strata.dsl.eval.ResolvedStage;
import dev.strata.dsl.instructions.Env;
import dev.strata.dsl.instructions.Instruction;
import dev.strata.dsl.instructions.InstructionParser;
import dev.strata.dsl.instructions.KeyValue;
import dev.strata.dsl.instructions.Run;
import dev.strata.dsl.instructions.Shell;
import dev.strata.dsl.instructions.User;
import dev.strata.dsl.instructions.Workdir;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 5, must-show 1: the same Containerfile on the same busybox base, built by buildah 1.28 and
 * by the RUN executor, gives the same flattened tree (paths, types, modes, owners, link targets,
 * hardlink groups, xattrs, bytes; mtimes differ by nature). The base carries {@code /etc/hosts},
 * {@code /etc/hostname}, {@code /etc/resolv.conf} and {@code /run}: buildah 1.28 leaks the empty
 * mount stubs its runtime creates when they are missing, which is buildah's bug, not a difference
 * in RUN semantics.
 */
class BuildahOracleTest {
  static final String SECRET = "oracle-secret-5c2e";

  @org.junit.jupiter.api.io.TempDir static Path shared;
  static Path base;
  static Path layout;
  static final Map<String, RunExecutor> EXECUTORS = new java.util.HashMap<>();
  static final Map<Path, Path> BUILDAH_TREES = new java.util.HashMap<>();

  @BeforeAll
  static void setUp() throws IOException {
    assumeTrue(Posix.isRoot(), "RUN needs root; CI runs as root");
    assumeTrue(BusyboxRootfs.available(), "needs busybox-static and libcap2-bin (setup script)");
    assumeTrue(SandboxRuntime.findOnPath("buildah").isPresent(), "needs buildah (setup script)");
    base = BusyboxRootfs.layer(shared.resolve("base"));
    for (String f : List.of("etc/hosts", "etc/hostname", "etc/resolv.conf")) {
      Files.createFile(base.resolve(f));
    }
    layout = shared.resolve("layout");
    writeBaseImage(base, layout);
  }

  /** The walking diff forced (where overlayfs is not available), on runc. */
  static final String RUNC_WALKING = "runc+walk";

  /**
   * The executor for {@code variant}: a runtime over overlayfs, or {@link #RUNC_WALKING} for runc
   * on a copy of the rootfs with the walking diff.
   */
  static synchronized RunExecutor executor(String variant) throws IOException {
    RunExecutor executor = EXECUTORS.get(variant);
    if (executor == null) {
      boolean walking = variant.equals(RUNC_WALKING);
      executor =
          RunExecutor.open(
              shared.resolve("work-" + variant),
              shared.resolve("cache"),
              Optional.of(walking ? "runc" : variant),
              walking ? RunDiffMode.WALK : RunDiffMode.OVERLAY);
      assertThat(executor.diffMode()).isEqualTo(walking ? RunDiffMode.WALK : RunDiffMode.OVERLAY);
      EXECUTORS.put(variant, executor);
    }
    return executor;
  }

  /**
   * Each case for each runtime over overlayfs, and on runc with the walking diff (buildah builds a
   * case once).
   */
  static Stream<Arguments> perRuntime(Stream<Arguments> cases) {
    List<Arguments> all = cases.toList();
    return Stream.concat(RunExecutorTest.runtimes(), Stream.of(RUNC_WALKING))
        .flatMap(
            runtime ->
                all.stream()
                    .map(
                        a -> {
                          List<Object> args = new ArrayList<>(List.of(runtime));
                          args.addAll(List.of(a.get()));
                          return Arguments.of(args.toArray());
                        }));
  }

  static Stream<Arguments> casesOnEveryRuntime() {
    return perRuntime(cases());
  }

  static Stream<Arguments> heredocsOnEveryRuntime() {
    return perRuntime(heredocs());
  }

  static Arguments oracleCase(String name, String body, String... buildahStubs) {
    return Arguments.of(name, body, List.of(buildahStubs));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        oracleCase(
            "create", "RUN mkdir -p /app/data && echo hi > /app/data/f && echo x > /srv/new"),
        oracleCase("delete-file", "RUN rm /etc/keep.conf"),
        oracleCase("delete-dir", "RUN rm -rf /opt/del-me"),
        oracleCase("replace-file", "RUN echo new > /etc/replace.conf"),
        oracleCase(
            "opaque-dir",
            "RUN rm -rf /var/cache/old && mkdir /var/cache/old && echo n > /var/cache/old/new"),
        oracleCase(
            "file-to-dir",
            "RUN rm /etc/replace.conf && mkdir /etc/replace.conf"
                + " && touch /etc/replace.conf/inner"),
        oracleCase("hardlinks", "RUN echo a > /srv/h1 && ln /srv/h1 /srv/h2 && ln /srv/h1 /srv/h3"),
        oracleCase("lower-hardlink-copy-up", "RUN echo more >> /srv/data"),
        oracleCase(
            "symlinks",
            "RUN ln -s /etc/keep.conf /srv/abs && ln -s ../etc /srv/rel && ln -s /nowhere /srv/dangling"),
        oracleCase(
            "chmod-chown",
            "RUN echo s > /srv/s && chown 1000:100 /srv/s && chmod 4755 /srv/s && chmod 1777 /srv"
                + " && chown 12:34 /etc/keep.conf && chmod 600 /etc/keep.conf"),
        oracleCase(
            "setcap",
            "RUN cp /bin/busybox /srv/cap && setcap cap_net_raw,cap_net_admin+ep /srv/cap"),
        oracleCase(
            "passwd-edit",
            "RUN echo 'app:x:1000:100::/home/app:/bin/sh' >> /etc/passwd"
                + " && echo 'app:x:1000:' >> /etc/group && mkdir -p /home/app && chown 1000:100 /home/app"),
        oracleCase("user", "USER 1000:100\nRUN touch /tmp/mine && mkdir /tmp/d && id > /tmp/id"),
        oracleCase("workdir", "WORKDIR /opt/app/here\nRUN echo x > f && pwd > /srv/pwd"),
        oracleCase("shell", "SHELL [\"/bin/ash\", \"-c\"]\nRUN echo \"$0\" > /srv/shell"),
        oracleCase("env", "ENV GREETING=hello\nRUN echo \"$GREETING\" > /srv/env"),
        oracleCase("exec-form", "RUN [\"/bin/touch\", \"/srv/exec\"]"),
        oracleCase("two-runs", "RUN touch /srv/a /srv/b\nRUN rm /srv/a && echo c > /srv/b"),
        // Mount targets the base lacks: buildah 1.28 whites out a mount target that exists (a
        // tmpfs on /tmp even whites out the whole root) and leaks the parents of the stubs it
        // creates, so those empty directories are declared as buildah's, not compared.
        oracleCase(
            "cache-mount",
            "RUN --mount=type=cache,target=/cache echo x > /cache/f && echo done > /srv/c"),
        oracleCase(
            "secret-mount",
            "RUN --mount=type=secret,id=token"
                + " cp /run/secrets/token /srv/secret-copy && rm /srv/secret-copy && echo ok > /srv/s",
            "run/secrets"),
        oracleCase(
            "bind-mount",
            "RUN --mount=type=bind,source=in.txt,target=/mnt/in.txt cp /mnt/in.txt /srv/copied",
            "mnt"),
        oracleCase(
            "tmpfs-mount",
            "RUN --mount=type=tmpfs,target=/scratch echo x > /scratch/t && echo y > /srv/t"),
        oracleCase(
            "all-mounts-and-heredoc-free-script",
            "RUN --mount=type=cache,target=/var/lib/c,sharing=locked"
                + " --mount=type=bind,target=/mnt/ctx --mount=type=tmpfs,target=/scratch"
                + " cat /mnt/ctx/in.txt > /srv/from-ctx && touch /var/lib/c/x /scratch/y",
            "mnt",
            "var/lib"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("casesOnEveryRuntime")
  void flattenedTreeEqualsBuildahs(
      String runtime, String name, String body, List<String> buildahStubs) throws Exception {
    Path dir = Files.createDirectories(shared.resolve("case-" + name));
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(context.resolve("in.txt"), "from the context\n");
    Path secret = Files.writeString(dir.resolve("secret"), SECRET);
    String containerfile = "FROM oci:" + layout + ":base\n" + body + "\n";
    Files.writeString(context.resolve("Containerfile"), containerfile);

    Path buildahTree = buildahFlattened(dir, context, secret);
    Path strataTree =
        strataFlattened(
            executor(runtime),
            Files.createDirectories(dir.resolve(runtime)),
            context,
            containerfile);

    TreeMap<String, String> expected = TreeSnapshot.withoutTimes(buildahTree);
    TreeMap<String, String> actual = TreeSnapshot.withoutTimes(strataTree);
    for (String stub : buildahStubs) {
      assertThat(expected.get(stub)).as("buildah's leaked stub " + stub).startsWith("0040755 0:0");
      assertThat(actual).doesNotContainKey(stub);
      expected.remove(stub);
    }
    assertThat(differences(expected, actual))
        .as("paths where strata differs from buildah")
        .isEmpty();
    assertThat(actual).isEqualTo(expected);
    assertThat(Files.readString(strataTree.resolve("etc/hosts"))).isEmpty();
  }

  /**
   * buildah 1.28 predates here-documents, so the oracle builds the equivalent one-line script while
   * Strata runs the here-document forms (plain and with a shebang).
   */
  @ParameterizedTest(name = "{0} heredoc {1}")
  @MethodSource("heredocsOnEveryRuntime")
  void heredocTreeEqualsBuildahsEquivalentScript(
      String runtime, String name, String heredocBody, String plainBody) throws Exception {
    Path dir = Files.createDirectories(shared.resolve("heredoc-" + name));
    Path context = Files.createDirectories(dir.resolve("context"));
    Path secret = Files.writeString(dir.resolve("secret"), SECRET);
    String from = "FROM oci:" + layout + ":base\n";
    Files.writeString(context.resolve("Containerfile"), from + plainBody + "\n");
    Path buildahTree = buildahFlattened(dir, context, secret);
    Path strataTree =
        strataFlattened(
            executor(runtime),
            Files.createDirectories(dir.resolve(runtime)),
            context,
            from + heredocBody + "\n");
    TreeMap<String, String> expected = TreeSnapshot.withoutTimes(buildahTree);
    TreeMap<String, String> actual = TreeSnapshot.withoutTimes(strataTree);
    assertThat(differences(expected, actual))
        .as("paths where strata differs from buildah")
        .isEmpty();
  }

  static Stream<Arguments> heredocs() {
    return Stream.of(
        Arguments.of(
            "script",
            "RUN <<EOF\nmkdir /hd\necho one > /hd/f\nrm /etc/keep.conf\nEOF",
            "RUN mkdir /hd && echo one > /hd/f && rm /etc/keep.conf"),
        Arguments.of(
            "shebang",
            "RUN <<EOT\n#!/bin/ash -e\necho \"$0\" > /srv/interp\nEOT",
            "RUN echo /dev/pipes/EOT > /srv/interp"),
        Arguments.of(
            "feeding-a-command",
            "RUN cat > /srv/conf <<EOF\nkey=value\nEOF",
            "RUN echo key=value > /srv/conf"));
  }

  /** Builds with buildah and flattens every layer of its result. */
  static synchronized Path buildahFlattened(Path dir, Path context, Path secret) throws Exception {
    Path built = BUILDAH_TREES.get(dir);
    if (built == null) {
      built = buildahBuild(dir, context, secret);
      BUILDAH_TREES.put(dir, built);
    }
    return built;
  }

  static Path buildahBuild(Path dir, Path context, Path secret) throws Exception {
    List<String> buildah =
        List.of(
            "buildah",
            "--root",
            dir.resolve("storage").toString(),
            "--runroot",
            dir.resolve("runroot").toString(),
            "--storage-driver",
            "overlay");
    List<String> bud = new ArrayList<>(buildah);
    bud.addAll(
        List.of(
            "bud",
            "--isolation",
            "oci",
            "--format",
            "docker",
            "--secret",
            "id=token,src=" + secret,
            "-t",
            "oracle",
            "-f",
            context.resolve("Containerfile").toString(),
            context.toString()));
    exec(bud);
    Path out = dir.resolve("buildah-out");
    List<String> push = new ArrayList<>(buildah);
    push.addAll(List.of("push", "oracle", "oci:" + out + ":oracle"));
    exec(push);
    try {
      List<String> rm = new ArrayList<>(buildah);
      rm.addAll(List.of("rmi", "-a", "-f"));
      exec(rm);
    } finally {
      RunJanitor.unmountBelow(dir.resolve("storage"));
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode index = json.readTree(out.resolve("index.json").toFile());
    String manifestDigest = index.get("manifests").get(0).get("digest").asText();
    JsonNode manifest = json.readTree(blob(out, manifestDigest).toFile());
    Path tree = dir.resolve("buildah-tree");
    LayerExtractor apply = new LayerExtractor(WhiteoutMode.APPLY, true);
    for (JsonNode layer : manifest.get("layers")) {
      apply.extract(blob(out, layer.get("digest").asText()), tree);
    }
    return tree;
  }

  /** Runs the Containerfile's RUNs with the executor, then flattens base and new layers. */
  static Path strataFlattened(RunExecutor executor, Path dir, Path context, String containerfile)
      throws IOException {
    ResolvedStage stage =
        Evaluator.evaluate(
                InstructionParser.read(
                    containerfile.getBytes(StandardCharsets.UTF_8), "Containerfile"))
            .stages()
            .get(0);
    List<Path> layers = new ArrayList<>(List.of(base));
    List<Path> blobs = new ArrayList<>();
    List<String> shell = List.of("/bin/sh", "-c");
    List<String> env = new ArrayList<>();
    Owner user = Owner.ROOT;
    String workdir = "/";
    BuildSecrets secrets =
        BuildSecrets.of(Map.of("token", SECRET.getBytes(StandardCharsets.UTF_8)), Map.of());
    for (Instruction instruction : stage.instructions()) {
      if (instruction instanceof Shell s) {
        shell = s.shell();
      } else if (instruction instanceof Env e) {
        for (KeyValue kv : e.pairs()) {
          env.removeIf(x -> x.startsWith(kv.key() + "="));
          env.add(kv.key() + "=" + kv.value());
        }
      } else if (instruction instanceof User u) {
        String[] ids = u.user().split(":");
        user = new Owner(Integer.parseInt(ids[0]), Integer.parseInt(ids[1]));
      } else if (instruction instanceof Workdir w) {
        workdir = w.path();
      } else if (instruction instanceof Run run) {
        CapturedOutput out = new CapturedOutput();
        RunRequest request =
            new RunRequest(
                layers,
                RunCommand.of(run, shell),
                env,
                user,
                List.of(),
                workdir,
                run.network(),
                RunMounts.resolve(run.mounts(), context, NO_STAGES, secrets, workdir),
                java.time.Duration.ofMinutes(2),
                out);
        Path blob = dir.resolve("strata-layer-" + blobs.size() + ".tar.gz");
        Path adopted = dir.resolve("strata-layer-" + blobs.size() + "-moved");
        try (RunResult result = executor.run(request);
            OutputStream sink = Files.newOutputStream(blob)) {
          assertThat(result.exitCode()).as(out.stderr()).isZero();
          result.writeLayerAndExtract(new LayerWriter(Optional.empty()), sink, adopted);
        }
        blobs.add(blob);
        // The engine takes the tree moved out of the upperdir as the next RUN's lower: it must be
        // exactly what extracting the layer gives (a cache hit extracts the stored blob instead).
        Path extracted = dir.resolve("strata-layer-" + blobs.size());
        new LayerExtractor(WhiteoutMode.OVERLAY, true).extract(blob, extracted);
        assertThat(TreeSnapshot.of(adopted))
            .as("RUN %s: tree moved out of the upperdir vs the layer extracted", blobs.size())
            .isEqualTo(TreeSnapshot.of(extracted));
        layers.add(adopted);
      }
    }
    Path tree = dir.resolve("strata-tree");
    LayerExtractor apply = new LayerExtractor(WhiteoutMode.APPLY, true);
    Path baseBlob = dir.resolve("base.tar.gz");
    try (OutputStream sink = Files.newOutputStream(baseBlob)) {
      new LayerWriter(Optional.empty()).writeLayer(base, sink);
    }
    apply.extract(baseBlob, tree);
    for (Path blob : blobs) {
      apply.extract(blob, tree);
    }
    return tree;
  }

  /** These Containerfiles have one stage and mount no other stage or image. */
  static final RunStep.MountSources NO_STAGES =
      from -> {
        throw new IllegalArgumentException("no stage " + from + " in a one-stage test");
      };

  static void writeBaseImage(Path rootfs, Path layoutDir) throws IOException {
    OciLayoutStore store = OciLayoutStore.open(layoutDir);
    Path tmp = Files.createTempFile(layoutDir.getParent(), "base", ".tar.gz");
    LayerDigests digests;
    try (OutputStream sink = Files.newOutputStream(tmp)) {
      digests = new LayerWriter(Optional.empty()).writeLayer(rootfs, sink);
    }
    try (var in = Files.newInputStream(tmp)) {
      store.putBlob(digests.digest(), in);
    }
    ImageConfig config =
        ImageConfig.scratch(Platform.LINUX_AMD64)
            .withEnv(List.of(RunExecutor.DEFAULT_PATH))
            .withLayer(digests.diffId(), new HistoryEntry(null, "busybox base", null, null, false));
    ContentBlob configBlob = config.render();
    store.putBlob(configBlob);
    ImageManifest manifest =
        new ImageManifest(
            configBlob.descriptor(),
            List.of(
                new Descriptor(
                    MediaTypes.LAYER_GZIP, digests.digest(), digests.size(), null, Map.of())),
            Map.of());
    ContentBlob manifestBlob = manifest.render();
    store.putBlob(manifestBlob);
    store.tag("base", manifestBlob.descriptor());
  }

  /** {@code path: buildah=… strata=…} for every path the two trees do not agree on. */
  static List<String> differences(TreeMap<String, String> buildah, TreeMap<String, String> strata) {
    java.util.TreeSet<String> paths = new java.util.TreeSet<>(buildah.keySet());
    paths.addAll(strata.keySet());
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      if (!java.util.Objects.equals(buildah.get(p), strata.get(p))) {
        out.add(p + ": buildah=" + buildah.get(p) + " strata=" + strata.get(p));
      }
    }
    return out;
  }

  static Path blob(Path layoutDir, String digest) {
    return layoutDir.resolve("blobs").resolve(digest.replace(':', '/'));
  }

  static void exec(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
  }
}
