package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.graph.plan.NodeKeys;
import dev.strata.graph.plan.StepKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's record of each node's last build: what is written, and when it is left alone. */
class StoreBuildStateTest {
  private static final Digest CONFIG_A = Digest.sha256("config a");
  private static final Digest CONFIG_B = Digest.sha256("config b");

  @TempDir Path tmp;
  private StoreBuildState state;
  private Path records;

  @BeforeEach
  void store() throws IOException {
    OciLayoutStore store = OciLayoutStore.open(tmp.resolve("store"));
    state = new StoreBuildState(store, tmp.resolve("project"));
    records = store.root().resolve("cache").resolve("nodes");
  }

  private static NodeKeys keys(String last) {
    TreeMap<String, String> inputs = new TreeMap<>();
    inputs.put("file:motd", "0644 0:0 sha256:" + "a".repeat(64));
    return new NodeKeys(
        "soe",
        List.of(
            new StepKey(1, "stage-0", "FROM corp/base", "from corp/base", new TreeMap<>(), "k1"),
            new StepKey(2, "stage-0", "COPY motd /etc/motd", "copy", inputs, last)));
  }

  private Path recordFile() throws IOException {
    try (var files = Files.list(records)) {
      return files.filter(f -> f.getFileName().toString().endsWith("-soe.json")).findFirst().get();
    }
  }

  @Test
  void aRecordedBuildGivesItsKeysAndTheConfigOfItsResult() throws IOException {
    state.record(keys("k2"), CONFIG_A);

    assertThat(state.lastBuild("soe")).contains(keys("k2"));
    assertThat(state.resultOf("soe", "k2")).contains(CONFIG_A.toString());
    assertThat(state.resultOf("soe", "k3")).isEmpty();
  }

  @Test
  void recordingTheSameBuildAgainLeavesTheRecordFileAsItIs() throws IOException {
    state.record(keys("k2"), CONFIG_A);
    Path file = recordFile();
    Object inode = Files.readAttributes(file, "unix:ino").get("ino");

    state.record(keys("k2"), CONFIG_A);

    assertThat(Files.readAttributes(recordFile(), "unix:ino").get("ino")).isEqualTo(inode);
  }

  @Test
  void recordingAnotherResultOrOtherKeysReplacesTheRecord() throws IOException {
    state.record(keys("k2"), CONFIG_A);

    state.record(keys("k2"), CONFIG_B);
    assertThat(state.resultOf("soe", "k2")).isEqualTo(Optional.of(CONFIG_B.toString()));

    state.record(keys("k3"), CONFIG_B);
    assertThat(state.lastBuild("soe")).contains(keys("k3"));
    assertThat(state.resultOf("soe", "k3")).contains(CONFIG_B.toString());
  }

  @Test
  void aRecordIsTheJsonOfItsKeysAsJacksonMapsThemPlusTheResult() throws IOException {
    state.record(keys("k2"), CONFIG_A);

    ObjectMapper json = new ObjectMapper();
    ObjectNode expected = json.valueToTree(keys("k2"));
    expected
        .putObject("result")
        .put("key", "k2")
        .put("config", CONFIG_A.toString())
        .put("identity", CONFIG_A.toString());
    assertThat(json.readTree(recordFile().toFile())).isEqualTo(expected);
  }

  @Test
  void aResultIsKnownByItsIdentityTheConfigWithoutProvenanceLabels() throws IOException {
    state.record(keys("k2"), CONFIG_A, CONFIG_B, Map.of());

    assertThat(state.resultOf("soe", "k2")).contains(CONFIG_B.toString());
  }

  @Test
  void aRecordWrittenBeforeIdentitiesGivesItsConfigDigest() throws IOException {
    state.record(keys("k2"), CONFIG_A);
    ObjectMapper json = new ObjectMapper();
    ObjectNode old = (ObjectNode) json.readTree(recordFile().toFile());
    ((ObjectNode) old.get("result")).remove("identity");
    ((ObjectNode) old.get("result")).put("config", CONFIG_B.toString());
    json.writeValue(recordFile().toFile(), old);

    assertThat(state.resultOf("soe", "k2")).contains(CONFIG_B.toString());
  }

  @Test
  void aRecordWrittenByJacksonsOwnMappingIsRead() throws IOException {
    state.record(keys("k2"), CONFIG_A);
    ObjectMapper json = new ObjectMapper();
    ObjectNode written = json.valueToTree(keys("k3"));
    written.putObject("result").put("key", "k3").put("config", CONFIG_B.toString());
    json.writeValue(recordFile().toFile(), written);

    assertThat(state.lastBuild("soe")).contains(keys("k3"));
    assertThat(state.resultOf("soe", "k3")).contains(CONFIG_B.toString());
  }

  @Test
  void aRecordThatIsNotOneIsAnErrorNamingItsFile() throws IOException {
    state.record(keys("k2"), CONFIG_A);
    Path file = recordFile();
    Files.writeString(file, "{\"node\":\"soe\",\"steps\":[{\"number\":1}]}");

    assertThatThrownBy(() -> state.lastBuild("soe"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("unreadable build record " + file);
    assertThatThrownBy(() -> state.resultOf("soe", "k2"))
        .hasMessageContaining("unreadable build record " + file);
  }
}
