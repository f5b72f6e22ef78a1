package dev.strata.bridge.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageConfigTest {
  static final Instant T = Instant.parse("2024-03-01T10:00:00Z");

  static String text(ContentBlob blob) {
    return new String(blob.bytes(), StandardCharsets.UTF_8);
  }

  @Test
  void unknownAndUnmodelledBaseFieldsSurviveParseAndRender() {
    String base =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"x-vendor\":{\"keep\":[1,2]},"
            + "\"config\":{\"StopSignal\":\"SIGRTMIN+3\",\"ArgsEscaped\":true,\"Future\":1},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";

    ImageConfig config = ImageConfig.parse(base.getBytes(StandardCharsets.UTF_8)).withUser("1000");

    assertThat(text(config.render()))
        .contains("\"x-vendor\":{\"keep\":[1,2]}")
        .contains("\"StopSignal\":\"SIGRTMIN+3\"", "\"ArgsEscaped\":true", "\"Future\":1")
        .contains("\"User\":\"1000\"");
  }

  @Test
  void everyInstructionFieldIsWritten() {
    ImageConfig config =
        ImageConfig.scratch(Platform.LINUX_AMD64)
            .withCreated(T)
            .withEnv(List.of("PATH=/usr/bin"))
            .withEntrypoint(List.of("/sbin/init"))
            .withCmd(List.of("--log"))
            .withShell(List.of("/bin/bash", "-c"))
            .withOnBuild(List.of("RUN echo child"))
            .withStopSignal("SIGRTMIN+3")
            .withWorkingDir("/srv")
            .withLabels(Map.of("containers.bootc", "1"))
            .withExposedPorts(List.of("80/tcp"))
            .withVolumes(List.of("/var/lib/data"))
            .withHealthcheck(
                new Healthcheck(
                    List.of("CMD", "true"), Duration.ofSeconds(30), null, null, null, 3))
            .withEmptyLayerHistory(new HistoryEntry(T, "STOPSIGNAL SIGRTMIN+3", null, null, true));

    assertThat(text(config.render()))
        .contains("\"Env\":[\"PATH=/usr/bin\"]", "\"Entrypoint\":[\"/sbin/init\"]")
        .contains("\"Cmd\":[\"--log\"]", "\"Shell\":[\"/bin/bash\",\"-c\"]")
        .contains("\"OnBuild\":[\"RUN echo child\"]", "\"StopSignal\":\"SIGRTMIN+3\"")
        .contains("\"WorkingDir\":\"/srv\"", "\"Labels\":{\"containers.bootc\":\"1\"}")
        .contains("\"ExposedPorts\":{\"80/tcp\":{}}", "\"Volumes\":{\"/var/lib/data\":{}}")
        .contains(
            "\"Healthcheck\":{\"Interval\":30000000000,\"Retries\":3,\"Test\":[\"CMD\",\"true\"]}")
        .contains("\"created\":\"2024-03-01T10:00:00Z\"")
        .contains(
            "{\"created\":\"2024-03-01T10:00:00Z\",\"created_by\":\"STOPSIGNAL SIGRTMIN+3\",\"empty_layer\":true}");
  }

  @Test
  void renderingIsCanonicalSoKeyOrderOfTheInputDoesNotMatter() {
    ImageConfig a =
        ImageConfig.parse(
            "{\"os\":\"linux\",\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8));
    ImageConfig b =
        ImageConfig.parse(
            "{ \"architecture\": \"amd64\", \"os\": \"linux\" }".getBytes(StandardCharsets.UTF_8));

    assertThat(a.render().bytes()).isEqualTo(b.render().bytes());
    assertThat(text(a.render())).isEqualTo("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
  }

  @Test
  void layersAppendDiffIdsAndHistoryInOrder() {
    Digest one = Digest.sha256("one");
    Digest two = Digest.sha256("two");

    ImageConfig config =
        ImageConfig.scratch(Platform.LINUX_AMD64)
            .withLayer(one, new HistoryEntry(T, "COPY a /", null, null, false))
            .withLayer(two, new HistoryEntry(T, "COPY b /", null, null, false));

    assertThat(config.diffIds()).containsExactly(one, two);
    assertThat(config.history())
        .extracting(HistoryEntry::createdBy)
        .containsExactly("COPY a /", "COPY b /");
  }

  @Test
  void theDigestIsThatOfTheRenderedBytes() {
    ContentBlob blob = ImageConfig.scratch(Platform.LINUX_AMD64).render();

    assertThat(blob.digest()).isEqualTo(Digest.sha256(blob.bytes()));
    assertThat(blob.descriptor().size()).isEqualTo(blob.bytes().length);
    assertThat(blob.descriptor().mediaType()).isEqualTo(MediaTypes.IMAGE_CONFIG);
  }

  @Test
  void aContentBlobRefusesAWrongDigest() {
    assertThatThrownBy(() -> new ContentBlob("x", new byte[] {1}, Digest.sha256("other")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAConfigThatIsNotAnObject() {
    assertThatThrownBy(() -> ImageConfig.parse("[1]".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("JSON object");
  }
}
