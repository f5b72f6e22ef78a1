package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.run.BuildSecrets;
import dev.strata.bridge.run.SandboxRunStep;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.bridge.tar.TreeSnapshot;
import dev.strata.graph.ProvenanceLabels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must-show 3: the same COPY/ADD/config-only Containerfiles built by Strata and by {@code buildah
 * bud} (1.28, vfs storage, its own root) from the same base image in Strata's OCI layout store.
 * Both results are mounted by buildah and their flattened trees compared (paths, types, modes,
 * owners, link targets, hardlink groups, xattrs, bytes), and the configs compared field by field.
 *
 * <p>One known buildah 1.28 divergence is kept out of these contexts: buildah chmods then chowns
 * copied files, and chown(2) clears setuid/setgid, so buildah drops a context file's setuid bit.
 * Strata keeps it, as BuildKit does; {@link CopyExactnessTest} pins that behaviour. Likewise
 * buildah 1.28 ignores SHELL for a shell-form ENTRYPOINT; Strata follows the Dockerfile reference
 * (SHELL applies to shell-form RUN, CMD and ENTRYPOINT), pinned in {@link StageSemanticsTest}.
 */
class BuildahOracleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CONFIG_FIELDS =
      List.of(
          "Env",
          "Entrypoint",
          "Cmd",
          "User",
          "WorkingDir",
          "Labels",
          "ExposedPorts",
          "Volumes",
          "StopSignal",
          "Healthcheck",
          "Shell",
          "OnBuild");

  @TempDir static Path tmp;
  private static OciLayoutStore store;
  private static List<String> buildah;
  private static final List<String> containers = new ArrayList<>();

  interface Setup {
    void files(Path context) throws Exception;
  }

  record Case(String name, String containerfile, Setup setup) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void setUp() throws Exception {
    TestBuilds.requireRoot();
    assertThat(Path.of("/usr/bin/buildah"))
        .as("buildah is the oracle; scripts/setup-machine.sh installs it")
        .exists();
    store = TestBuilds.storeWithBase(tmp.resolve("store"), Optional.empty());
    buildah = TestBuilds.buildah(tmp.resolve("buildah"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (String c : containers) {
      buildah("rm", c);
    }
    if (buildah != null) {
      // vfs layers are plain directories; buildah removes its own storage cleanly
      buildah("rmi", "--all", "--force");
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
            new Case(
                "copy-file-into-dir",
                "COPY hello.txt /opt/\n",
                ctx -> write(ctx, "hello.txt", "hello\n")),
            new Case(
                "copy-file-rename-deep",
                "COPY hello.txt /opt/a/b/renamed.txt\n",
                ctx -> write(ctx, "hello.txt", "hello\n")),
            new Case("copy-dir-contents", "COPY tree/ /data/\n", BuildahOracleTest::tree),
            new Case(
                "copy-glob",
                "COPY *.txt /glob/\n",
                ctx -> {
                  write(ctx, "a.txt", "a");
                  write(ctx, "b.txt", "b");
                  write(ctx, "c.md", "c");
                }),
            new Case(
                "copy-chown-name", "COPY --chown=app tree /home/app/\n", BuildahOracleTest::tree),
            new Case(
                "copy-chown-into-owned-dir",
                "COPY --chown=1000:staff hello.txt /srv/x/\n",
                ctx -> write(ctx, "hello.txt", "hello\n")),
            new Case("copy-chmod", "COPY --chmod=0640 tree /chmod/\n", BuildahOracleTest::tree),
            new Case(
                "copy-into-special-dirs",
                "COPY hello.txt /tmp/\nCOPY hello.txt /root/\n",
                ctx -> write(ctx, "hello.txt", "hello\n")),
            new Case(
                "copy-through-symlinked-dir",
                "COPY hello.txt /lib/\n",
                ctx -> write(ctx, "hello.txt", "hello\n")),
            new Case(
                "add-tar-gz",
                "ADD archive.tar.gz /unpacked/\n",
                ctx -> archive(ctx, "archive.tar.gz", true)),
            new Case(
                "add-plain-tar-into-owned-dir",
                "ADD plain.tar /var/www/\n",
                ctx -> archive(ctx, "plain.tar", false)),
            new Case(
                "add-plain-file",
                "ADD notes.txt /notes/\n",
                ctx -> write(ctx, "notes.txt", "not an archive\n")),
            new Case(
                "multi-stage-copy-from",
                "COPY --chown=www:www tree /out/\n"
                    + "FROM BASE\n"
                    + "COPY --from=builder /out /copied/\n"
                    + "COPY --from=builder /etc/passwd /copied/passwd\n",
                BuildahOracleTest::tree),
            new Case(
                "config-only",
                "ENV A=1 B=\"two words\"\n"
                    + "ENV A=changed\n"
                    + "LABEL a=b \"c d\"=e\n"
                    + "USER www\n"
                    + "EXPOSE 80 53/udp\n"
                    + "VOLUME /data\n"
                    + "STOPSIGNAL SIGRTMIN+3\n"
                    + "ENTRYPOINT [\"/bin/sh\", \"-c\"]\n"
                    + "CMD [\"echo hi\"]\n",
                ctx -> {}),
            new Case(
                "workdir-relative",
                "WORKDIR /app\nWORKDIR sub\nCOPY hello.txt rel/\nWORKDIR /srv\n",
                ctx -> write(ctx, "hello.txt", "hello\n")),
            new Case(
                "shell-cmd-healthcheck",
                "CMD echo hi\n"
                    + "ENTRYPOINT echo entry\n"
                    + "SHELL [\"/bin/sh\", \"-ec\"]\n"
                    + "HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD [\"/bin/true\"]\n",
                ctx -> {}),
            new Case(
                "containerignore",
                "COPY . /ctx/\n",
                ctx -> {
                  write(ctx, "keep.txt", "keep");
                  write(ctx, "secret.key", "do not copy");
                  write(ctx, "sub/also.key", "nor this");
                  write(ctx, "sub/ok.txt", "ok");
                  write(ctx, ".containerignore", "*.key\n**/*.key\n");
                }),
            new Case(
                "multiple-sources-and-overwrite",
                "COPY a.txt b.txt /multi/\nCOPY b.txt /multi/a.txt\n",
                ctx -> {
                  // different sizes: buildah's vfs diff misses a same-size, same-second rewrite
                  write(ctx, "a.txt", "a");
                  write(ctx, "b.txt", "bbb");
                }),
            new Case(
                "entrypoint-clears-inherited-cmd",
                "CMD [\"inherited\"]\nFROM builder\nENTRYPOINT [\"/bin/sh\"]\n",
                ctx -> {}),
            new Case(
                "arg-in-destination",
                "ARG DIR=/argdir\nENV SUB=inner\nCOPY hello.txt ${DIR}/$SUB/\n",
                ctx -> write(ctx, "hello.txt", "hello\n")))
        .map(Arguments::of);
  }

  /**
   * Cases with RUN, built with the sandbox. buildah 1.28 takes {@code --mount=type=cache,from=} (a
   * stage) and {@code source=}: it mounts that stage's folder where BuildKit and Strata mount a
   * cache instance seeded from it; what the RUNs see and leave in the image is the same.
   */
  static Stream<Arguments> runCases() {
    return Stream.of(
            new Case(
                "cache-mount-from-stage",
                "RUN busybox mkdir -p /deps/sub && echo seeded > /deps/sub/a.txt\n"
                    + "FROM BASE\n"
                    + "RUN --mount=type=cache,from=builder,source=/deps,target=/c"
                    + " busybox cat /c/sub/a.txt > /first && echo w > /c/sub/new\n"
                    + "RUN --mount=type=cache,from=builder,source=/deps,target=/c"
                    + " busybox cat /c/sub/new > /second\n",
                ctx -> {}))
        .map(Arguments::of);
  }

  /**
   * What a RUN under buildah 1.28's vfs driver leaves that is buildah's own, not the RUN's: the
   * kernel and runtime mount points as empty directories and the generated /etc files as empty 0755
   * files.
   */
  private static final List<String> BUILDAH_RUN_STUBS =
      List.of("dev", "proc", "sys", "run", "etc/hosts", "etc/hostname", "etc/resolv.conf");

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void strataAndBuildahBuildTheSameImage(Case c) throws Exception {
    assertSameImageAsBuildah(c, RunStep.UNAVAILABLE, List.of());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runCases")
  void strataAndBuildahRunTheSameImage(Case c) throws Exception {
    assertSameImageAsBuildah(
        c,
        SandboxRunStep.inStore(store.root(), Optional.empty(), BuildSecrets.NONE),
        BUILDAH_RUN_STUBS);
  }

  private static void assertSameImageAsBuildah(Case c, RunStep runStep, List<String> buildahStubs)
      throws Exception {
    Path context = tmp.resolve("cases").resolve(c.name());
    String body = "FROM BASE AS builder\n" + c.containerfile();
    TestBuilds.context(context, body.replace("BASE", TestBuilds.BASE), Map.of());
    c.setup().files(context);
    Path oracleFile = tmp.resolve("oracle-" + c.name() + ".Containerfile");
    String layout = "oci:" + store.root() + ":" + TestBuilds.BASE;
    Files.writeString(oracleFile, body.replace("BASE", layout));

    List<NodeResult> results =
        TestBuilds.build(store, context, Optional.empty(), Map.of(), runStep);
    assertThat(results).hasSize(1);
    NodeResult strata = results.get(0);
    String oracleImage = "oracle-" + c.name();
    buildah(
        "bud",
        "--format",
        "docker",
        "--layers",
        "-f",
        oracleFile.toString(),
        "-t",
        oracleImage,
        context.toString());

    TreeMap<String, String> expected = flattened(oracleImage);
    TreeMap<String, String> actual =
        flattened("oci:" + store.root() + ":" + strata.references().get(0));
    for (String stub : buildahStubs) {
      assertThat(expected.get(stub))
          .as("buildah's stub " + stub)
          .isIn("0040755 0:0", "0100755 0:0 sha=e3b0c44298fc");
      assertThat(actual).doesNotContainKey(stub);
      expected.remove(stub);
    }
    assertThat(actual).as("flattened tree").isEqualTo(expected);

    JsonNode expectedConfig = buildahConfig(oracleImage);
    ImageConfig config = ImageConfig.parse(store.readBlob(strata.config()));
    for (String field : CONFIG_FIELDS) {
      JsonNode mine = normalized(field, config.configField(field).orElse(null));
      JsonNode theirs = normalized(field, expectedConfig.get(field));
      assertThat(mine).as("config field " + field).isEqualTo(theirs);
    }
  }

  private static TreeMap<String, String> flattened(String image) throws Exception {
    String container = buildah("from", image).strip();
    containers.add(container);
    Path mount = Path.of(buildah("mount", container).strip());
    return TreeSnapshot.withoutTimes(mount);
  }

  private static JsonNode buildahConfig(String image) throws Exception {
    String json = buildah("inspect", "--type", "image", image);
    return JSON.readTree(json).path("Docker").path("config");
  }

  /**
   * null, absent, [] and {} all mean "unset"; each tool's own labels are left out (buildah's
   * version, Strata's provenance labels).
   */
  private static JsonNode normalized(String field, JsonNode value) {
    if (value == null || value.isNull() || (value.isContainerNode() && value.isEmpty())) {
      return null;
    }
    if (field.equals("Labels")) {
      ObjectNode copy = ((ObjectNode) value).deepCopy();
      copy.remove("io.buildah.version");
      copy.remove(ProvenanceLabels.WRITTEN);
      return copy.isEmpty() ? null : copy;
    }
    if (value.isTextual() && value.asText().isEmpty()) {
      return null;
    }
    return value;
  }

  private static String buildah(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(buildah);
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + err).isZero();
    return out;
  }

  private static void write(Path ctx, String name, String content) throws IOException {
    Path file = ctx.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  /** A tree with nested modes, a symlink, a dangling symlink, a hardlink pair and an xattr. */
  private static void tree(Path ctx) throws Exception {
    write(ctx, "tree/top.txt", "top\n");
    write(ctx, "tree/sub/deep/file.bin", "binary\0bytes");
    write(ctx, "tree/private/secret", "s");
    TestBuilds.run(ctx, "chmod", "0751", "tree/sub");
    TestBuilds.run(ctx, "chmod", "0700", "tree/private");
    TestBuilds.run(ctx, "chmod", "0755", "tree/top.txt");
    TestBuilds.run(ctx, "ln", "tree/top.txt", "tree/sub/top-hardlink.txt");
    Files.createSymbolicLink(ctx.resolve("tree/link"), Path.of("sub/deep/file.bin"));
    Files.createSymbolicLink(ctx.resolve("tree/dangling"), Path.of("/does/not/exist"));
    dev.strata.bridge.fs.Posix.lsetxattr(
        ctx.resolve("tree/sub/deep/file.bin"),
        "user.origin",
        "oracle".getBytes(StandardCharsets.UTF_8));
  }

  /** An archive with its own root entry, owners 5:6, a hardlink, a symlink and a subdirectory. */
  private static void archive(Path ctx, String name, boolean gzip) throws Exception {
    Path src = ctx.getParent().resolve(ctx.getFileName() + "-archive-src");
    write(src, "a/file.txt", "in archive\n");
    write(src, "b.txt", "bee\n");
    TestBuilds.run(src, "ln", "b.txt", "a/b-hardlink.txt");
    Files.createSymbolicLink(src.resolve("a/to-b"), Path.of("../b.txt"));
    TestBuilds.run(src, "chmod", "0710", "a");
    TestBuilds.run(
        src,
        "tar",
        gzip ? "-czf" : "-cf",
        ctx.resolve(name).toString(),
        "--owner=5",
        "--group=6",
        "--numeric-owner",
        ".");
  }
}
