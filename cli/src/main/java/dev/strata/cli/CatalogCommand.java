package dev.strata.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code strata catalog}: what was built, from what, with which packages, and what changed. */
@Command(
    name = "catalog",
    description = {
      "Browse the catalog of recorded builds: images, lineage up to the external base, layers,",
      "labels, signatures, disks, package inventories, and the differences between builds.",
      "A build is named by NODE (its latest build), NODE@N (its N-th build), a digest prefix or",
      "an image reference.",
      ""
    },
    subcommands = {
      CatalogListCommand.class,
      CatalogShowCommand.class,
      CatalogTreeCommand.class,
      CatalogHistoryCommand.class,
      CatalogDiffCommand.class,
      CatalogSearchCommand.class,
      CatalogPackagesCommand.class,
      CatalogSyncCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  strata catalog list",
      "  strata catalog tree",
      "  strata catalog diff soe@1 soe@2",
      "  strata catalog search 'pkg=libssl3<3.0.13'",
      "  strata catalog sync localhost:5000/corp --insecure-registry localhost:5000",
      "",
      "Exit codes: 0 ok, 1 the catalog cannot be read, 2 a build or query that names nothing."
    },
    mixinStandardHelpOptions = true)
final class CatalogCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
