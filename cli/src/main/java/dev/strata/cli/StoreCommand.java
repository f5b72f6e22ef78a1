package dev.strata.cli;

import dev.strata.bridge.build.StoreCollector;
import dev.strata.bridge.store.OciLayoutStore;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata store}: maintenance of the local image store. */
@Command(
    name = "store",
    description = {"Maintain the local OCI image store.", ""},
    subcommands = {StoreCommand.Gc.class},
    footer = {"", "Examples:", "  strata store gc", "  strata store gc --store /tmp/store --json"},
    mixinStandardHelpOptions = true)
final class StoreCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code strata store gc}. */
  @Command(
      name = "gc",
      description = {
        "Remove blobs no tagged image needs, build-cache records whose layers no tagged image",
        "has, and extracted layers no kept image lists. Rebuilding a stored image stays a no-op.",
        "Waits until no other Strata process (a build, a push) has the store open.",
        ""
      },
      footer = {"", "Examples:", "  strata store gc", "", "Exit codes: 0 ok, 1 store error."},
      mixinStandardHelpOptions = true)
  static final class Gc implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin StoreOption store;

    @Option(names = "--json", description = "Print what was removed as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      OciLayoutStore opened = store.open();
      StoreCollector.Report report =
          StoreCollector.collect(
              opened,
              () -> {
                PrintWriter err = spec.commandLine().getErr();
                err.println(
                    "strata store gc: waiting for the other Strata processes using "
                        + opened.root()
                        + " to finish");
                err.flush();
              });
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("blobs", report.blobs());
        doc.put("stepRecords", report.stepRecords());
        doc.put("layerDirectories", report.layerDirectories());
        doc.put("pieceEntries", report.pieceEntries());
        out.println(JsonOutput.write(doc));
      } else {
        out.println(
            "removed "
                + report.blobs()
                + " blobs, "
                + report.stepRecords()
                + " cache records, "
                + report.layerDirectories()
                + " extracted layers, "
                + report.pieceEntries()
                + " compressed-piece records");
      }
      out.flush();
      return 0;
    }
  }
}
