package dev.strata.packages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code rpmdb.sqlite}, written by rpm itself: the tiny package {@value #NAME} (epoch 2,
 * version 1.2.3, release 4.el9, noarch, license {@value #LICENSE}, no files) built by {@code
 * rpmbuild} and installed with {@code rpm --dbpath … -i --justdb}. Shared with other modules' tests
 * through this module's test jar; needs Debian's rpm package (scripts/setup-machine.sh).
 */
public final class RpmFixture {
  public static final String NAME = "strata-fixture";
  public static final String LICENSE = "MIT AND (Apache-2.0 OR BSD-3-Clause)";

  private RpmFixture() {}

  /** Builds the package and a database holding it under {@code dir}; returns the database file. */
  public static Path database(Path dir) throws IOException, InterruptedException {
    Path spec = dir.resolve("fixture.spec");
    Files.writeString(
        spec,
        "Name: "
            + NAME
            + "\nVersion: 1.2.3\nRelease: 4.el9\nEpoch: 2\nSummary: package database test fixture\n"
            + "License: "
            + LICENSE
            + "\nBuildArch: noarch\n%description\n"
            + "A package with no files, for reading rpmdb.sqlite.\n%files\n");
    run("rpmbuild", "-bb", "--quiet", "--define", "_topdir " + dir.resolve("top"), spec.toString());
    Path rpm = dir.resolve("top/RPMS/noarch/" + NAME + "-1.2.3-4.el9.noarch.rpm");
    Path dbpath = dir.resolve("sysimage/rpm");
    run("rpm", "--dbpath", dbpath.toString(), "--initdb");
    run(
        "rpm",
        "--dbpath",
        dbpath.toString(),
        "-i",
        "--justdb",
        "--nodeps",
        "--noscripts",
        "--ignoreos",
        "--ignorearch",
        rpm.toString());
    return dbpath.resolve("rpmdb.sqlite");
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          command[0] + " is needed (Debian's rpm package; run scripts/setup-machine.sh)", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
  }
}
