package dev.strata.cli;

import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.oci.Sha256Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run behind {@code bin/strata}'s class data sharing archive: one JVM that runs, with
 * its output thrown away, what a platform engineer runs most (a plan of examples/soe, a build of a
 * small bootc-labelled project, the same build again as a no-op, the catalog's view of it, and, as
 * root, a raw disk image of it), so the class list written as it runs ({@code
 * -XX:DumpLoadedClassList}) names the classes, lambda forms and proxies those commands load, which
 * {@code java -Xshare:dump} then archives. A command that fails here still loads most of its
 * classes; the training never fails because of one.
 *
 * <p>Usage: {@code java -XX:DumpLoadedClassList=L -cp strata.jar dev.strata.cli.ClassDataTraining
 * REPO SCRATCH}, with SCRATCH a folder (made if missing) the caller removes afterwards.
 */
public final class ClassDataTraining {
  private ClassDataTraining() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: ClassDataTraining REPO SCRATCH");
      System.exit(2);
    }
    Sha256Provider.install();
    train(Path.of(args[0]), Path.of(args[1]));
  }

  /** Runs the training commands with their output thrown away; returns those that failed. */
  static List<String> train(Path repo, Path scratch) throws IOException {
    String store = scratch.resolve("store").toString();
    String project = smallProject(scratch.resolve("project")).toString();
    List<List<String>> commands = new ArrayList<>();
    Path soe = repo.resolve("examples/soe");
    if (Files.isDirectory(soe)) {
      commands.add(List.of("plan", "--json", "--store", store, soe.toString()));
      commands.add(List.of("graph", soe.toString()));
    }
    List<String> build = List.of("build", "--store", store, "--progress", "plain", project);
    commands.add(build); // built
    commands.add(build); // reused
    commands.add(List.of("plan", "--store", store, project));
    commands.add(List.of("catalog", "list", "--store", store));
    if (Posix.isRoot()) { // native disk images need root; elsewhere the command would only fail
      commands.add(
          List.of(
              "disk",
              "training/app:latest",
              "--store",
              store,
              "--type",
              "raw",
              "--output",
              scratch.resolve("disk").toString()));
    }
    PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream());
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    // Progress displays write to the process's streams, not to picocli's writers.
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    System.setErr(new PrintStream(OutputStream.nullOutputStream()));
    List<String> failed = new ArrayList<>();
    String stamps = System.getProperty("strata.up-to-date");
    System.setProperty("strata.up-to-date", scratch.resolve("stamps").toString());
    try {
      // the up-to-date check a build starts with (no stamp: the project was written just now)
      Main.upToDate(build.toArray(String[]::new));
      for (List<String> command : commands) {
        if (Main.run(quiet, quiet, command.toArray(String[]::new)) != 0) {
          failed.add(String.join(" ", command));
        }
      }
    } finally {
      if (stamps == null) {
        System.clearProperty("strata.up-to-date");
      } else {
        System.setProperty("strata.up-to-date", stamps);
      }
      System.setOut(stdout);
      System.setErr(stderr);
    }
    return failed;
  }

  /**
   * A one-node project: a scratch image with a file, a bootc label (so it is linted), a tag, and a
   * stand-in kernel and initramfs where the bootc contract puts them (a disk of it is written, not
   * booted).
   */
  private static Path smallProject(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("app"));
    Files.writeString(
        dir.resolve("strata.yaml"),
        "images:\n  app: { containerfile: app/Containerfile, image: training/app }\n");
    Files.writeString(
        dir.resolve("app/Containerfile"),
        "FROM scratch\n"
            + "ARG VERSION=1\n"
            + "COPY motd /etc/motd\n"
            + "COPY vmlinuz initramfs.img /usr/lib/modules/0.0.0-training/\n"
            + "LABEL containers.bootc=\"1\" org.opencontainers.image.version=\"$VERSION\"\n"
            + "CMD [\"/sbin/init\"]\n");
    Files.writeString(dir.resolve("app/motd"), "class data sharing training\n");
    Files.writeString(dir.resolve("app/vmlinuz"), "not a kernel\n");
    Files.writeString(dir.resolve("app/initramfs.img"), "not an initramfs\n");
    return dir;
  }
}
