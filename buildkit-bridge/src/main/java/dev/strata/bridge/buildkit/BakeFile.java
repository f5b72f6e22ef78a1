package dev.strata.bridge.buildkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.dsl.instructions.Arg;
import dev.strata.dsl.instructions.Containerfile;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.Edge;
import dev.strata.graph.ImageName;
import dev.strata.graph.Node;
import dev.strata.graph.project.ImageConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The derivation graph as a {@code docker-bake.json} for teams that drive {@code docker buildx
 * bake} themselves: one target per node (context, Containerfile, tags, build args, target stage),
 * and every graph edge as a named context {@code target:<parent>}, so bake builds parents first and
 * feeds their results to the children's FROM and COPY --from without a registry round trip.
 */
public final class BakeFile {
  private static final Pattern TARGET_NAME = Pattern.compile("[a-zA-Z0-9_-]+");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BakeFile() {}

  /**
   * Renders the bake file for {@code graph}, with paths relative to {@code bakeDirectory} (where
   * the file is written and bake is run from) and {@code buildArgs} from the command line
   * overriding strata.yaml's.
   */
  public static String render(
      DerivationGraph graph, Path bakeDirectory, Map<String, String> buildArgs) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode defaultGroup = root.putObject("group").putObject("default");
    var targets = defaultGroup.putArray("targets");
    ObjectNode targetsNode = root.putObject("target");
    Path base = bakeDirectory.toAbsolutePath().normalize();
    for (Node node : graph.nodes()) {
      ImageConfig image = node.config();
      String name = targetName(node.name());
      targets.add(name);
      ObjectNode target = targetsNode.putObject(name);
      target.put("context", relative(base, image.context()));
      target.put("dockerfile", relative(image.context(), image.containerfile()));
      var tags = target.putArray("tags");
      image.tags().forEach(tag -> tags.add(graph.project().imageReference(image, tag)));
      Map<String, String> args = buildArgs(node, buildArgs);
      if (!args.isEmpty()) {
        ObjectNode argsNode = target.putObject("args");
        args.forEach(argsNode::put);
      }
      image.target().ifPresent(stage -> target.put("target", stage));
      Map<String, String> contexts = new TreeMap<>();
      for (Edge edge : graph.incoming(node.name())) {
        contexts.put(namedContext(edge.reference()), "target:" + targetName(edge.parent()));
      }
      if (!contexts.isEmpty()) {
        ObjectNode contextsNode = target.putObject("contexts");
        contexts.forEach(contextsNode::put);
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render the bake file", e);
    }
  }

  /**
   * The build args BuildKit gets for {@code node}: strata.yaml's, overridden or extended by the
   * command line's {@code buildArgs} that the node's Containerfile declares (sorted by name).
   */
  static Map<String, String> buildArgs(Node node, Map<String, String> buildArgs) {
    ImageConfig image = node.config();
    Map<String, String> args = new TreeMap<>(image.args());
    buildArgs.forEach(
        (key, value) -> {
          if (image.args().containsKey(key) || declares(node, key)) {
            args.put(key, value);
          }
        });
    return args;
  }

  /** The key BuildKit looks a FROM or COPY --from image up by among named contexts. */
  static String namedContext(String reference) {
    return ImageName.parse(reference).map(ImageName::familiar).orElse(reference);
  }

  private static boolean declares(Node node, String arg) {
    Containerfile source = node.file().source();
    return Stream.concat(
            source.metaArgs().stream(),
            source.stages().stream()
                .flatMap(stage -> stage.instructions().stream())
                .filter(Arg.class::isInstance)
                .map(Arg.class::cast))
        .flatMap(declaration -> declaration.args().stream())
        .anyMatch(declared -> declared.key().equals(arg));
  }

  private static String targetName(String node) {
    return TARGET_NAME.matcher(node).matches() ? node : node.replaceAll("[^a-zA-Z0-9_-]", "_");
  }

  private static String relative(Path from, Path to) {
    String path = from.relativize(to.toAbsolutePath().normalize()).toString();
    return path.isEmpty() ? "." : path;
  }
}
