package dev.strata.graph.project;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.dsl.SourcePosition;
import dev.strata.graph.GraphException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A YAML file read as a tree that remembers where each value was written, so that a bad key or
 * value can be reported at its file:line:col. Keys are addressed by JSON pointer ({@code
 * /images/soe/image}).
 */
public final class YamlDocument {
  private static final YAMLFactory FACTORY =
      YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private final String fileName;
  private final List<String> lines;
  private final JsonNode root;
  private final Map<String, JsonLocation> locations;

  private YamlDocument(
      String fileName, List<String> lines, JsonNode root, Map<String, JsonLocation> locations) {
    this.fileName = fileName;
    this.lines = lines;
    this.root = root;
    this.locations = locations;
  }

  /** Parses {@code text}; a syntax error or a duplicate key is a {@link GraphException}. */
  public static YamlDocument parse(String fileName, String text) {
    List<String> lines = text.lines().toList();
    try {
      JsonNode root = MAPPER.readTree(text);
      Map<String, JsonLocation> locations = new HashMap<>();
      try (JsonParser parser = FACTORY.createParser(text)) {
        index(parser, locations);
      }
      return new YamlDocument(
          fileName, lines, root == null ? MissingNode.getInstance() : root, locations);
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      String message = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
      throw at(fileName, lines, where, "invalid YAML: " + message);
    } catch (IOException e) {
      throw new GraphException(fileName + ": " + e.getMessage());
    }
  }

  private static void index(JsonParser parser, Map<String, JsonLocation> locations)
      throws IOException {
    // A stack of the current path; arrays keep their next index.
    Deque<String> path = new ArrayDeque<>();
    Deque<int[]> arrayIndex = new ArrayDeque<>();
    Deque<Boolean> inArray = new ArrayDeque<>();
    String pendingField = null;
    for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
      if (token == JsonToken.FIELD_NAME) {
        pendingField = escape(parser.currentName());
        locations.put(pointer(path) + "/" + pendingField, parser.currentTokenLocation());
        continue;
      }
      String segment = null;
      if (!inArray.isEmpty() && inArray.peek()) {
        segment = Integer.toString(arrayIndex.peek()[0]++);
        locations.put(pointer(path) + "/" + segment, parser.currentTokenLocation());
      } else if (pendingField != null) {
        segment = pendingField;
      }
      pendingField = null;
      if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
        if (segment != null) {
          path.push(segment);
        } else {
          path.push("");
          locations.put("", parser.currentTokenLocation());
        }
        inArray.push(token == JsonToken.START_ARRAY);
        arrayIndex.push(new int[] {0});
      } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
        path.pop();
        inArray.pop();
        arrayIndex.pop();
      }
    }
  }

  private static String pointer(Deque<String> path) {
    StringBuilder out = new StringBuilder();
    Iterator<String> it = path.descendingIterator();
    boolean first = true;
    while (it.hasNext()) {
      String segment = it.next();
      if (first) {
        first = false; // the root
        continue;
      }
      out.append('/').append(segment);
    }
    return out.toString();
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  /** The pointer of {@code key} under {@code parent}. */
  public static String child(String parent, String key) {
    return parent + "/" + escape(key);
  }

  /** The whole document (a missing node when the file is empty). */
  public JsonNode root() {
    return root;
  }

  /** The file name as given. */
  public String fileName() {
    return fileName;
  }

  /** Where the key (or list item) at {@code pointer} was written; the file start if unknown. */
  public SourcePosition position(String pointer) {
    JsonLocation where = locations.get(pointer);
    if (where == null) {
      return SourcePosition.ofLine(fileName, 1);
    }
    return new SourcePosition(
        fileName, Math.max(1, where.getLineNr()), Math.max(1, where.getColumnNr()));
  }

  /** An error at the key (or list item) at {@code pointer}. */
  public GraphException error(String pointer, String message) {
    SourcePosition where = position(pointer);
    return new GraphException(message, where, line(lines, where.line()));
  }

  private static GraphException at(
      String fileName, List<String> lines, JsonLocation where, String message) {
    if (where == null || where.getLineNr() < 1) {
      return new GraphException(fileName + ": " + message);
    }
    SourcePosition position =
        new SourcePosition(fileName, where.getLineNr(), Math.max(1, where.getColumnNr()));
    return new GraphException(message, position, line(lines, where.getLineNr()));
  }

  private static String line(List<String> lines, int number) {
    return number >= 1 && number <= lines.size() ? lines.get(number - 1) : null;
  }
}
