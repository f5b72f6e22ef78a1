package dev.strata.bridge.buildkit;

import dev.strata.bridge.build.BuildException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The buildx builder a build runs on. buildx lists every docker context as a builder of the docker
 * driver, but only runs the current context's through {@code --builder}; another context's must be
 * chosen with {@code docker --context NAME}. So a name that is a docker context selects the
 * context, any other name is passed as {@code --builder} (docker-container, kubernetes, remote
 * builders made by {@code docker buildx create}).
 */
public record BuildxBuilder(Optional<String> name, boolean dockerContext) {

  /** buildx's current builder. */
  public static final BuildxBuilder CURRENT = new BuildxBuilder(Optional.empty(), false);

  /** The builder {@code name} names, asking docker whether it is a context. */
  public static BuildxBuilder named(String name) throws IOException {
    if (name.isBlank() || name.startsWith("-")) {
      throw new BuildException("'" + name + "' is not a builder name");
    }
    Process inspect;
    try {
      inspect =
          new ProcessBuilder("docker", "context", "inspect", name)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new BuildException(
          "cannot run docker (" + e.getMessage() + "); the BuildKit engine needs the docker CLI",
          e);
    }
    try {
      if (!inspect.waitFor(30, TimeUnit.SECONDS)) {
        inspect.destroyForcibly();
        throw new BuildException("docker context inspect " + name + " did not answer in 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException("interrupted", e);
    }
    return new BuildxBuilder(Optional.of(name), inspect.exitValue() == 0);
  }

  /** {@code docker [--context NAME] buildx build [--builder NAME]}. */
  List<String> buildCommand() {
    List<String> command = new ArrayList<>(List.of("docker"));
    if (dockerContext) {
      command.addAll(List.of("--context", name.orElseThrow()));
    }
    command.addAll(List.of("buildx", "build"));
    if (!dockerContext) {
      name.ifPresent(n -> command.addAll(List.of("--builder", n)));
    }
    return command;
  }
}
