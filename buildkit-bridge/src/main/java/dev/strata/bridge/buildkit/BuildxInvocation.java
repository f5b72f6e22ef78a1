package dev.strata.bridge.buildkit;

import com.google.common.collect.ImmutableList;
import dev.strata.graph.Node;
import dev.strata.graph.project.ImageConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code docker buildx build} command that builds one node on BuildKit: its context and
 * Containerfile, build args and target stage, every image it reads pinned by digest through a named
 * context ({@code --build-context NAME=docker-image://REPO@sha256:…}), the result tagged and pushed
 * as a plain image manifest (no provenance or SBOM attestations, so the pushed digest is the
 * image's), and BuildKit's metadata (the pushed digest) written to {@code metadataFile}.
 */
public record BuildxInvocation(String node, List<String> command, Path metadataFile) {
  private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  public BuildxInvocation {
    command = ImmutableList.copyOf(command);
  }

  /**
   * The invocation for {@code node}.
   *
   * @param builder the buildx builder
   * @param buildArgs the command line's build args (the node's strata.yaml args are added)
   * @param pinned named-context key (as {@link BakeFile#namedContext} makes it) to the pinned
   *     remote reference {@code REPO@sha256:…}
   * @param tags the remote references to push the result as
   * @param labels labels added to the image (Strata's provenance labels, as the native engine
   *     writes them)
   */
  public static BuildxInvocation of(
      Node node,
      BuildxBuilder builder,
      Map<String, String> buildArgs,
      Map<String, String> pinned,
      List<String> tags,
      Map<String, String> labels,
      Path metadataFile) {
    ImageConfig image = node.config();
    List<String> command = builder.buildCommand();
    command.addAll(List.of("--progress", "plain", "--platform", "linux/amd64"));
    command.addAll(List.of("--provenance=false", "--sbom=false"));
    command.addAll(List.of("--file", image.containerfile().toAbsolutePath().toString()));
    image.target().ifPresent(stage -> command.addAll(List.of("--target", stage)));
    BakeFile.buildArgs(node, buildArgs)
        .forEach((key, value) -> command.addAll(List.of("--build-arg", key + "=" + value)));
    pinned.forEach(
        (name, remote) ->
            command.addAll(List.of("--build-context", name + "=docker-image://" + remote)));
    labels.forEach((key, value) -> command.addAll(List.of("--label", key + "=" + value)));
    for (String tag : tags) {
      command.addAll(List.of("--tag", tag));
    }
    command.add("--push");
    command.addAll(List.of("--metadata-file", metadataFile.toString()));
    command.add(image.context().toAbsolutePath().toString());
    return new BuildxInvocation(node.name(), command, metadataFile);
  }

  /** The command as a shell line (words quoted where needed), to print or paste. */
  public String printable() {
    List<String> words = new ArrayList<>();
    for (String word : command) {
      words.add(PLAIN_WORD.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'");
    }
    return String.join(" ", words);
  }

  @Override
  public String toString() {
    return printable();
  }
}
