package dev.strata.cli;

import dev.strata.bridge.oci.Sha256Provider;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogException;
import dev.strata.dsl.eval.EvaluationOptions;
import dev.strata.dsl.eval.Evaluator;
import dev.strata.dsl.instructions.InstructionParser;
import dev.strata.dsl.syntax.SyntaxParser;
import dev.strata.graph.project.ProjectLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jgrapht.graph.AsUnmodifiableGraph;
import org.jgrapht.graph.DirectedAcyclicGraph;

/**
 * Readies, on a thread of its own, the libraries a command is about to use, while the main thread
 * has picocli build the command line (~70 ms of a ~0.3 s no-op build, on one core). For every
 * command: SHA-256 through libcrypto (loading JNA and libcrypto). For {@code build} and {@code
 * plan}, first: the YAML reader of strata.yaml, the Containerfile parser and evaluator and the
 * graph library, each by reading a document of a few lines or making a graph of two nodes, so that
 * the main thread finds their classes loaded and initialised when it reads the project; for {@code
 * build}, the SQLite driver of the catalog too. Nothing here is needed for correctness: what fails
 * is done again, and reported, by the command itself.
 */
final class LibraryWarmup implements Runnable {
  /** The commands that read a project (strata.yaml, Containerfiles). */
  private static final List<String> PROJECT_COMMANDS = List.of("build", "plan");

  private static final String PROJECT = "images:\n  node: { containerfile: Containerfile }\n";
  private static final String CONTAINERFILE =
      "FROM scratch AS base\nARG VERSION=1\nENV V=${VERSION}\n"
          + "RUN --mount=type=cache,target=/var/cache/apt echo \"$V\"\n"
          + "COPY --chmod=0644 files/ /etc/\nLABEL a=\"b\"\n";

  private final boolean readsProject;
  private final boolean opensCatalog;

  LibraryWarmup(boolean readsProject, boolean opensCatalog) {
    this.readsProject = readsProject;
    this.opensCatalog = opensCatalog;
  }

  /** Starts the warm-up for {@code strata ARGS} on a daemon thread. */
  static void start(String... args) {
    String command = args.length > 0 ? args[0] : "";
    Thread thread =
        new Thread(
            new LibraryWarmup(PROJECT_COMMANDS.contains(command), command.equals("build")),
            "strata-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void run() {
    if (readsProject) {
      // In the order the command needs them. A failure here only loses speed: the command meets
      // the same failure and reports it.
      try {
        ProjectLoader.parse(Path.of("strata.yaml"), PROJECT);
      } catch (RuntimeException e) {
        // see above
      }
      try {
        Evaluator.evaluate(
            InstructionParser.parse(SyntaxParser.parse(CONTAINERFILE, "Containerfile")),
            EvaluationOptions.withBuildArgs(Map.of()));
      } catch (RuntimeException e) {
        // see above
      }
      try {
        derivationGraph();
      } catch (RuntimeException e) {
        // see above
      }
    }
    if (opensCatalog) {
      try {
        Catalog.loadDriver();
      } catch (CatalogException | RuntimeException e) {
        // only speed is lost, as above
      }
    }
    // A digest made before this is in place is the JDK's, equal and only slower; the large ones
    // (layers) come long after.
    Sha256Provider.install();
  }

  /** A two-node DAG, as GraphBuilder makes the derivation graph (jgrapht loads ~100 classes). */
  private static void derivationGraph() {
    DirectedAcyclicGraph<String, Object> dag = new DirectedAcyclicGraph<>(null, null, false, true);
    dag.addVertex("parent");
    dag.addVertex("child");
    dag.addEdge("parent", "child", new Object());
    new AsUnmodifiableGraph<>(dag).incomingEdgesOf("child");
  }
}
