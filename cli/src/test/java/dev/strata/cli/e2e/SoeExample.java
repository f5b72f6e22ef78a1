package dev.strata.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.bridge.fs.Posix;
import dev.strata.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared fixture of the end-to-end tests: a private copy of {@code examples/soe} (edit it
 * freely) built into ONE store that every e2e class shares ({@link #STORE}, {@code
 * cli/target/e2e-store}). Cache keys are content-based, so the first {@link #ensureBuilt()} of a
 * run pays the cold build (a few minutes) and every later one, from any class or copy, takes about
 * a second. The base {@code docker.io/library/debian:bookworm} is seeded into the store the way
 * {@code scripts/build-examples.sh} seeds it: {@code scripts/seed-debian.sh} (mmdebstrap minbase,
 * cached in {@code /var/cache/strata-seed}) and {@code strata import}.
 *
 * <p>Typical use (a class adding push, sign, catalog or disk checks):
 *
 * <pre>{@code
 * @TempDir static Path tmp;
 * static SoeExample soe;
 * static SoeExample.Build built;
 *
 * @BeforeAll
 * static void build() throws Exception {
 *   soe = SoeExample.copyTo(tmp.resolve("soe"));
 *   built = soe.ensureBuilt();               // nodes stored as base:latest, soe:latest, …
 * }
 * ... soe.strata("sign", "web-server:latest", ...)   // any command, with --store added
 * }</pre>
 *
 * <p>Needs root (RUN mounts overlayfs and starts runc), as CI runs; it fails rather than skips. A
 * class that changes the shared base must tag the seeded one again when done (see {@code
 * SoeHierarchyBuildTest}); a class that changes a copy's files changes only its own copy.
 */
public final class SoeExample {
  /** The store every e2e class shares. */
  public static final Path STORE = Path.of("target", "e2e-store").toAbsolutePath();

  /** The external base the hierarchy starts from. */
  public static final String BASE = "docker.io/library/debian:bookworm";

  /** The node names, parents first. */
  public static final List<String> NODES = List.of("base", "soe", "db-server", "web-server");

  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path project;

  private SoeExample(Path project) {
    this.project = project;
  }

  /** A fresh copy of {@code examples/soe} at {@code dir} (modes kept, so cache keys match). */
  public static SoeExample copyTo(Path dir) throws IOException {
    Path source = REPOSITORY.resolve("examples/soe");
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path from : walk.toList()) {
        Path to = dir.resolve(source.relativize(from).toString());
        if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
    return new SoeExample(dir);
  }

  /** The project folder of this copy. */
  public Path project() {
    return project;
  }

  /** A file of this copy, e.g. {@code web-server/files/etc/nginx/sites-available/corp.conf}. */
  public Path file(String relative) {
    return project.resolve(relative);
  }

  /** Seeds the base if the store lacks it, then builds every node; fails the test on failure. */
  public Build ensureBuilt() throws IOException, InterruptedException {
    seedBase();
    Build build = build();
    assertThat(build.exitCode()).as("strata build failed:\n%s", build.tail()).isZero();
    return build;
  }

  /** {@code strata build --json --store STORE PROJECT ARGS…}, in this JVM. */
  public Build build(String... args) throws IOException {
    List<String> all =
        new ArrayList<>(
            List.of(
                "build",
                "--json",
                "--progress",
                "plain",
                "--disk-output",
                STORE.resolveSibling("e2e-disks").toString()));
    all.addAll(List.of(args));
    all.add(project.toString());
    Run run = strata(all.toArray(String[]::new));
    JsonNode doc = run.out().isBlank() ? JSON.nullNode() : JSON.readTree(run.out());
    return new Build(run.exitCode(), doc, run.err());
  }

  /** {@code strata plan --json} of this copy against the shared store. */
  public JsonNode plan() throws IOException {
    Run run = strata("plan", "--json", project.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  /** Any strata command in this JVM, with {@code --store STORE} appended. */
  public static Run strata(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--store");
    all.add(STORE.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  /** Makes sure the store holds {@link #BASE}, imported from mmdebstrap's tarball if absent. */
  public static synchronized void seedBase() throws IOException, InterruptedException {
    assertThat(Posix.isRoot())
        .as("the e2e tests run RUN steps (overlayfs, runc): run them as root, as CI does")
        .isTrue();
    if (hasImage(BASE)) {
      return;
    }
    Run imported = strata("import", seedTarball().toString(), BASE);
    assertThat(imported.exitCode()).as(imported.err()).isZero();
  }

  /** The mmdebstrap tarball {@code scripts/seed-debian.sh} makes once and caches. */
  public static Path seedTarball() throws IOException, InterruptedException {
    Process seed =
        new ProcessBuilder("bash", REPOSITORY.resolve("scripts/seed-debian.sh").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    String path = new String(seed.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(seed.waitFor()).as("scripts/seed-debian.sh").isZero();
    return Path.of(path);
  }

  /** Whether the shared store has {@code reference}. */
  public static boolean hasImage(String reference) throws IOException {
    Path index = STORE.resolve("index.json");
    if (!Files.isRegularFile(index)) {
      return false;
    }
    for (JsonNode m : JSON.readTree(index.toFile()).path("manifests")) {
      if (reference.equals(
          m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
        return true;
      }
    }
    return false;
  }

  /** One CLI run: exit code, standard output, standard error. */
  public record Run(int exitCode, String out, String err) {}

  /**
   * One {@code strata build --json}: its exit code, its JSON report and its progress lines (stderr:
   * {@code [node] …} per step, RUN output as {@code [node] | …}).
   */
  public record Build(int exitCode, JsonNode report, String progress) {

    /** The report of {@code node}. */
    public JsonNode node(String node) {
      for (JsonNode n : report.path("nodes")) {
        if (n.path("node").asText().equals(node)) {
          return n;
        }
      }
      throw new AssertionError("node " + node + " is not in the build report:\n" + report);
    }

    /** The first lines of the steps of {@code node} that ran (were not cache hits). */
    public List<String> stepsRun(String node) {
      List<String> out = new ArrayList<>();
      node(node).path("stepsRun").forEach(s -> out.add(s.asText()));
      return out;
    }

    /** The manifest digest of {@code node}'s image. */
    public String manifest(String node) {
      return node(node).path("manifest").asText();
    }

    /** The nodes that ran at least one step. */
    public List<String> rebuilt() {
      List<String> out = new ArrayList<>();
      for (JsonNode n : report.path("nodes")) {
        if (n.path("stepsBuilt").asInt() > 0) {
          out.add(n.path("node").asText());
        }
      }
      return out;
    }

    /** The progress line index of the first line that starts with {@code prefix}. */
    public int progressLine(String prefix) {
      List<String> lines = progress.lines().toList();
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).startsWith(prefix)) {
          return i;
        }
      }
      throw new AssertionError("no progress line starts with '" + prefix + "'");
    }

    /** The last 40 lines of progress, for failure messages. */
    public String tail() {
      List<String> lines = progress.lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
  }
}
