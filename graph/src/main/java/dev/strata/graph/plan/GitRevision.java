package dev.strata.graph.plan;

import dev.strata.graph.GraphException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The git commit a project folder is checked out at, and the repository's {@code origin} URL when
 * it has one (credentials in the URL are dropped): what a build's provenance and catalog record
 * name as its source.
 */
public record GitRevision(String commit, Optional<String> repository) {

  /** The revision of the repository containing {@code directory}, or empty outside one. */
  public static Optional<GitRevision> of(Path directory) {
    String commit;
    try {
      commit = GitCommand.run("the git commit", directory, "rev-parse", "--verify", "HEAD").strip();
    } catch (IOException | GraphException e) {
      return Optional.empty(); // not a repository, no commit yet, or no git installed
    }
    Optional<String> origin;
    try {
      origin =
          Optional.of(
                  GitCommand.run(
                          "the git origin", directory, "config", "--get", "remote.origin.url")
                      .strip())
              .filter(s -> !s.isEmpty())
              .map(GitRevision::withoutCredentials);
    } catch (IOException | GraphException e) {
      origin = Optional.empty();
    }
    return Optional.of(new GitRevision(commit, origin));
  }

  private static String withoutCredentials(String url) {
    return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
  }
}
