package dev.strata.bridge.run;

import dev.strata.bridge.rootfs.Owner;
import dev.strata.dsl.instructions.NetworkMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything one RUN needs: the stage's rootfs as extracted layer directories in overlay form,
 * bottom first (as {@code LayerExtractor} in {@code WhiteoutMode.OVERLAY} writes them); the
 * command; the environment as {@code K=V}; the numeric user and its supplementary groups; the
 * absolute working directory; the network; the mounts; a timeout ({@link Duration#ZERO} for none);
 * where output goes.
 */
public record RunRequest(
    List<Path> layers,
    RunCommand command,
    List<String> env,
    Owner user,
    List<Integer> groups,
    String workdir,
    NetworkMode network,
    List<SandboxMount> mounts,
    Duration timeout,
    RunOutput output) {

  public RunRequest {
    layers = List.copyOf(layers);
    env = List.copyOf(env);
    mounts = List.copyOf(mounts);
    groups = List.copyOf(groups);
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(output, "output");
    if (workdir == null || !workdir.startsWith("/")) {
      throw new IllegalArgumentException("working directory must be absolute: '" + workdir + "'");
    }
    for (Path layer : layers) {
      if (!Files.isDirectory(layer)) {
        throw new IllegalArgumentException("layer directory " + layer + " does not exist");
      }
    }
    for (String e : env) {
      if (e.indexOf('=') <= 0) {
        throw new IllegalArgumentException("environment entries are K=V, got '" + e + "'");
      }
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout " + timeout);
    }
  }

  /** A request with BuildKit's defaults: root, {@code /}, default network, no mounts/timeout. */
  public static RunRequest of(List<Path> layers, RunCommand command, List<String> env) {
    return new RunRequest(
        layers,
        command,
        env,
        Owner.ROOT,
        List.of(),
        "/",
        NetworkMode.DEFAULT,
        List.of(),
        Duration.ZERO,
        RunOutput.DISCARD);
  }

  /** This request run as {@code newUser} with supplementary groups {@code newGroups}. */
  public RunRequest withUser(Owner newUser, List<Integer> newGroups) {
    return new RunRequest(
        layers, command, env, newUser, newGroups, workdir, network, mounts, timeout, output);
  }

  public RunRequest withWorkdir(String dir) {
    return new RunRequest(
        layers, command, env, user, groups, dir, network, mounts, timeout, output);
  }

  public RunRequest withNetwork(NetworkMode mode) {
    return new RunRequest(
        layers, command, env, user, groups, workdir, mode, mounts, timeout, output);
  }

  public RunRequest withMounts(List<SandboxMount> newMounts) {
    return new RunRequest(
        layers, command, env, user, groups, workdir, network, newMounts, timeout, output);
  }

  public RunRequest withTimeout(Duration limit) {
    return new RunRequest(
        layers, command, env, user, groups, workdir, network, mounts, limit, output);
  }

  public RunRequest withOutput(RunOutput sink) {
    return new RunRequest(
        layers, command, env, user, groups, workdir, network, mounts, timeout, sink);
  }
}
