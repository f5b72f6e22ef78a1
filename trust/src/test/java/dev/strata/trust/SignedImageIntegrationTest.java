package dev.strata.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.registry.BlobSource;
import dev.strata.bridge.registry.PushedImage;
import dev.strata.bridge.registry.Registry;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.bridge.tar.TarEntry;
import dev.strata.bridge.tar.TarWriter;
import dev.strata.graph.ImageName;
import dev.strata.packages.DpkgStatusReader;
import dev.strata.packages.RpmDatabaseReader;
import dev.strata.packages.RpmFixture;
import dev.strata.trust.attachment.AttachmentKind;
import dev.strata.trust.attachment.AttachmentManifest;
import dev.strata.trust.key.PasswordSource;
import dev.strata.trust.key.Pem;
import dev.strata.trust.key.SigningKey;
import dev.strata.trust.key.VerificationKey;
import dev.strata.trust.provenance.BuildProvenance;
import dev.strata.trust.provenance.ImageReference;
import dev.strata.trust.sbom.ImagePackages;
import dev.strata.trust.verify.ImageVerifier;
import dev.strata.trust.verify.VerificationReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole images signed and attested in a real registry, checked by the real cosign 2.5 and by {@code
 * strata verify}: acceptance, coexistence with cosign's own signatures, lineage, refusals, and the
 * private key appearing nowhere in the registry.
 */
class SignedImageIntegrationTest {
  private static final Map<String, String> PASSWORD = Map.of("COSIGN_PASSWORD", "pw");
  private static final String STATUS =
      "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b7\n\n"
          + "Package: coreutils\nStatus: install ok installed\nArchitecture: amd64\nVersion: 9.1-1\n";

  @TempDir static Path dir;
  static CosignCli cosign;
  static LocalRegistry local;
  static RegistryConnector connector;
  static Registry registry;
  static SigningKey strataKey;
  static java.math.BigInteger strataScalar;
  static VerificationKey cosignPub;
  static ImageSigner signer;

  @BeforeAll
  static void start() throws Exception {
    cosign = CosignCli.require();
    local = LocalRegistry.start();
    connector = RegistryConnector.fromEnvironment(Set.of(local.host()));
    registry = connector.connect(local.host());
    // A JDK key pair written as plain PKCS#8, so the test knows the scalar it must never find.
    var generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    var pair = generator.generateKeyPair();
    strataScalar = ((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS();
    Files.writeString(
        dir.resolve("strata.pem"), new Pem("PRIVATE KEY", pair.getPrivate().getEncoded()).encode());
    strataKey =
        SigningKey.read(dir.resolve("strata.pem"), PasswordSource.fromEnvironment(PASSWORD, null));
    Files.writeString(dir.resolve("strata.pub"), strataKey.publicKey().pem());
    assertThat(cosign.run(dir, PASSWORD, "generate-key-pair").ok()).isTrue();
    cosignPub = VerificationKey.read(dir.resolve("cosign.pub"));
    signer = new ImageSigner(strataKey, "strata test", Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
    if (local != null) {
      local.close();
    }
  }

  /** Pushes a one-layer image holding a dpkg database; returns its digest. */
  static Digest push(String repository, String tag, String seed) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarWriter writer = new TarWriter(tar)) {
      byte[] status = STATUS.getBytes(StandardCharsets.UTF_8);
      writer.write(
          TarEntry.file("var/lib/dpkg/status", 0644, 0, 0, Instant.EPOCH, status.length),
          new ByteArrayInputStream(status));
      byte[] s = seed.getBytes(StandardCharsets.UTF_8);
      writer.write(
          TarEntry.file("etc/seed", 0644, 0, 0, Instant.EPOCH, s.length),
          new ByteArrayInputStream(s));
      writer.finish();
    }
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(tar.toByteArray());
    }
    ContentBlob layer = ContentBlob.of(MediaTypes.LAYER_GZIP, gz.toByteArray());
    ContentBlob config =
        ContentBlob.of(
            MediaTypes.IMAGE_CONFIG,
            ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                    + Digest.sha256(tar.toByteArray())
                    + "\"]},\"config\":{}}")
                .getBytes(StandardCharsets.UTF_8));
    registry.pushBlob(repository, layer.digest(), BlobSource.of(layer.bytes()), List.of());
    registry.pushBlob(repository, config.digest(), BlobSource.of(config.bytes()), List.of());
    ContentBlob manifest =
        new ImageManifest(config.descriptor(), List.of(layer.descriptor()), Map.of()).render();
    return registry.pushManifest(repository, tag, manifest);
  }

  static BuildProvenance provenance(String node, Optional<ImageReference> parent) throws Exception {
    return new BuildProvenance(
        "https://strata.dev/builder/native",
        "0.1.0",
        "native",
        node,
        node + "/Containerfile",
        Digest.sha256("FROM x"),
        new ObjectMapper().readTree("{\"image\":\"" + node + "\"}"),
        Map.of(),
        Optional.empty(),
        Optional.of("0123456789abcdef0123456789abcdef01234567"),
        Optional.of(
            new ImageReference("docker.io/library/debian:bookworm", Digest.sha256("debian"))),
        parent,
        "test",
        Instant.now(),
        Instant.now());
  }

  static ImagePackages packages() throws IOException {
    return new ImagePackages("debian", DpkgStatusReader.read(STATUS));
  }

  static ImageName name(String repositoryAndTag) {
    return ImageName.parse(local.host() + "/" + repositoryAndTag).orElseThrow();
  }

  static Digest signedBuild(String repository, String node, Optional<ImageReference> parent)
      throws Exception {
    Digest digest = push(repository, "latest", node);
    signer.signPushed(
        registry,
        new PushedImage(name(repository + ":latest"), digest, Map.of()),
        List.of("latest"),
        Optional.of(packages()),
        Optional.of(provenance(node, parent)));
    return digest;
  }

  static VerificationReport verify(VerificationKey key, String reference) throws IOException {
    try (ImageVerifier verifier = new ImageVerifier(connector, List.of(key), true)) {
      return verifier.verify(name(reference));
    }
  }

  CosignCli.Result cosign(String... args) throws Exception {
    return cosign.run(dir, PASSWORD, args);
  }

  @Test
  void cosignVerifyAcceptsStrataSignatureAndAttestations() throws Exception {
    signedBuild("corp/one", "one", Optional.empty());
    String ref = local.host() + "/corp/one:latest";

    CosignCli.Result signature =
        cosign("verify", "--key", "strata.pub", "--insecure-ignore-tlog=true", ref);
    assertThat(signature.ok()).as(signature.toString()).isTrue();
    assertThat(signature.stdout()).contains("\"docker-reference\":\"" + ref + "\"");
    for (String type : List.of("spdxjson", "slsaprovenance1")) {
      CosignCli.Result attestation =
          cosign(
              "verify-attestation",
              "--key",
              "strata.pub",
              "--insecure-ignore-tlog=true",
              "--type",
              type,
              ref);
      assertThat(attestation.ok()).as(type + ": " + attestation).isTrue();
    }
  }

  @Test
  void cosignAcceptsTheSbomOfAnRpmImageAndItListsTheRpmPackages() throws Exception {
    Path rpm = Files.createDirectories(dir.resolve("rpm"));
    ImagePackages packages =
        new ImagePackages("rhel", RpmDatabaseReader.read(RpmFixture.database(rpm)));
    Digest digest = push("corp/rpm", "latest", "rpm");
    signer.signPushed(
        registry,
        new PushedImage(name("corp/rpm:latest"), digest, Map.of()),
        List.of("latest"),
        Optional.of(packages),
        Optional.of(provenance("rpm", Optional.empty())));
    String ref = local.host() + "/corp/rpm:latest";

    CosignCli.Result attestation =
        cosign(
            "verify-attestation",
            "--key",
            "strata.pub",
            "--insecure-ignore-tlog=true",
            "--type",
            "spdxjson",
            ref);

    assertThat(attestation.ok()).as(attestation.toString()).isTrue();
    // cosign prints each verified DSSE envelope; its payload is the in-toto statement.
    ObjectMapper json = new ObjectMapper();
    var envelope = json.readTree(attestation.stdout().lines().findFirst().orElseThrow());
    var statement = json.readTree(Base64.getDecoder().decode(envelope.path("payload").asText()));
    var rpmPackage = statement.path("predicate").path("packages").get(1);
    assertThat(rpmPackage.path("name").asText()).isEqualTo(RpmFixture.NAME);
    assertThat(rpmPackage.path("versionInfo").asText()).isEqualTo("2:1.2.3-4.el9");
    assertThat(rpmPackage.path("licenseDeclared").asText()).isEqualTo(RpmFixture.LICENSE);
    assertThat(rpmPackage.path("externalRefs").get(0).path("referenceLocator").asText())
        .isEqualTo("pkg:rpm/rhel/strata-fixture@1.2.3-4.el9?arch=noarch&epoch=2");
    VerificationReport report = verify(strataKey.publicKey(), "corp/rpm:latest");
    assertThat(report.ok()).as(report.text()).isTrue();
    assertThat(report.chain().get(0).packageCount()).contains(1);
  }

  @Test
  void aCosignSignatureAndStrataSignaturesCoexist() throws Exception {
    Digest digest = signedBuild("corp/both", "both", Optional.empty());
    String ref = local.host() + "/corp/both:latest";

    CosignCli.Result cosignSign =
        cosign(
            "sign",
            "--key",
            "cosign.key",
            "--tlog-upload=false",
            local.host() + "/corp/both@" + digest);
    assertThat(cosignSign.ok()).as(cosignSign.toString()).isTrue();
    // Strata signs again afterwards (another tag of the same digest): cosign's layer must stay.
    registry.pushManifest(
        "corp/both", "v2", registry.manifest("corp/both", "latest").orElseThrow());
    signer.signTag(registry, name("corp/both:v2"));

    AttachmentManifest sig =
        AttachmentManifest.parse(
            registry
                .manifest("corp/both", AttachmentKind.SIGNATURE.tag(digest))
                .orElseThrow()
                .bytes());
    assertThat(sig.layers()).hasSize(3);
    assertThat(cosign("verify", "--key", "cosign.pub", "--insecure-ignore-tlog=true", ref).ok())
        .isTrue();
    assertThat(cosign("verify", "--key", "strata.pub", "--insecure-ignore-tlog=true", ref).ok())
        .isTrue();
    assertThat(verify(strataKey.publicKey(), "corp/both:latest").ok()).isTrue();
    assertThat(verify(strataKey.publicKey(), "corp/both:v2").ok()).isTrue();
  }

  @Test
  void strataVerifyWalksTheLineageAndCountsPackages() throws Exception {
    Digest base = signedBuild("corp/base", "base", Optional.empty());
    Digest soe =
        signedBuild(
            "corp/soe",
            "soe",
            Optional.of(new ImageReference(local.host() + "/corp/base:latest", base)));
    signedBuild(
        "corp/db-server",
        "db-server",
        Optional.of(new ImageReference(local.host() + "/corp/soe:latest", soe)));

    VerificationReport report = verify(strataKey.publicKey(), "corp/db-server:latest");

    assertThat(report.ok()).as(report.text()).isTrue();
    assertThat(report.chain()).hasSize(3);
    assertThat(report.chain()).allSatisfy(c -> assertThat(c.packageCount()).contains(2));
    assertThat(report.text()).contains("verified: 3 images (db-server -> soe -> base)");
  }

  @Test
  void anUnsignedParentFailsTheChain() throws Exception {
    Digest parent = push("corp/unsigned-parent", "latest", "p");
    signedBuild(
        "corp/child",
        "child",
        Optional.of(new ImageReference(local.host() + "/corp/unsigned-parent:latest", parent)));

    VerificationReport report = verify(strataKey.publicKey(), "corp/child:latest");

    assertThat(report.ok()).isFalse();
    assertThat(report.chain().get(0).ok()).isTrue();
    assertThat(report.chain().get(1).problems()).anyMatch(p -> p.startsWith("signature: none"));
  }

  @Test
  void aWrongKeyIsRefusedByStrataAndCosign() throws Exception {
    signedBuild("corp/wrongkey", "wk", Optional.empty());
    VerificationReport report = verify(cosignPub, "corp/wrongkey:latest");
    assertThat(report.ok()).isFalse();
    assertThat(report.text()).contains("not made by an accepted key");
    assertThat(
            cosign(
                    "verify",
                    "--key",
                    "cosign.pub",
                    "--insecure-ignore-tlog=true",
                    local.host() + "/corp/wrongkey:latest")
                .ok())
        .isFalse();
  }

  @Test
  void aMissingSignatureIsRefusedByStrataAndCosign() throws Exception {
    push("corp/nosig", "latest", "nosig");
    VerificationReport report = verify(strataKey.publicKey(), "corp/nosig:latest");
    assertThat(report.ok()).isFalse();
    assertThat(report.text()).contains("signature: none (no sha256-");
    assertThat(
            cosign(
                    "verify",
                    "--key",
                    "strata.pub",
                    "--insecure-ignore-tlog=true",
                    local.host() + "/corp/nosig:latest")
                .ok())
        .isFalse();
  }

  @Test
  void aTagMovedToATamperedManifestIsRefused() throws Exception {
    signedBuild("corp/tamper", "t", Optional.empty());
    push("corp/tamper", "latest", "tampered contents");

    assertThat(verify(strataKey.publicKey(), "corp/tamper:latest").ok()).isFalse();
    assertThat(
            cosign(
                    "verify",
                    "--key",
                    "strata.pub",
                    "--insecure-ignore-tlog=true",
                    local.host() + "/corp/tamper:latest")
                .ok())
        .isFalse();
  }

  @Test
  void aTamperedSignaturePayloadIsRefusedByStrataAndCosign() throws Exception {
    Digest digest = signedBuild("corp/tamperpayload", "tp", Optional.empty());
    String tag = AttachmentKind.SIGNATURE.tag(digest);
    AttachmentManifest sig =
        AttachmentManifest.parse(
            registry.manifest("corp/tamperpayload", tag).orElseThrow().bytes());
    Descriptor original = sig.layers().get(0);
    byte[] forged =
        new dev.strata.trust.signature.SimpleSigningPayload(
                local.host() + "/corp/tamperpayload:latest", digest, "mallory", 1L)
            .bytes();
    Descriptor forgedLayer =
        new Descriptor(
            original.mediaType(),
            Digest.sha256(forged),
            forged.length,
            null,
            original.annotations());
    registry.pushBlob("corp/tamperpayload", forgedLayer.digest(), BlobSource.of(forged), List.of());
    AttachmentManifest replaced = AttachmentManifest.empty().with(forgedLayer);
    registry.pushBlob(
        "corp/tamperpayload",
        replaced.config().digest(),
        BlobSource.of(replaced.config().bytes()),
        List.of());
    registry.pushManifest("corp/tamperpayload", tag, replaced.manifest());

    assertThat(verify(strataKey.publicKey(), "corp/tamperpayload:latest").ok()).isFalse();
    assertThat(
            cosign(
                    "verify",
                    "--key",
                    "strata.pub",
                    "--insecure-ignore-tlog=true",
                    local.host() + "/corp/tamperpayload:latest")
                .ok())
        .isFalse();
  }

  @Test
  void anImageRetaggedUnderAnotherNameIsRefusedByStrata() throws Exception {
    Digest digest = signedBuild("corp/genuine", "g", Optional.empty());
    // Copy the image and its signature to another repository, as an attacker could.
    ContentBlob manifest = registry.manifest("corp/genuine", "latest").orElseThrow();
    for (Descriptor blob : ImageManifest.parse(manifest.bytes()).layers()) {
      copyBlob("corp/genuine", "corp/evil", blob.digest());
    }
    copyBlob("corp/genuine", "corp/evil", ImageManifest.parse(manifest.bytes()).config().digest());
    registry.pushManifest("corp/evil", "latest", manifest);
    ContentBlob sig =
        registry.manifest("corp/genuine", AttachmentKind.SIGNATURE.tag(digest)).orElseThrow();
    ImageManifest sigManifest = ImageManifest.parse(sig.bytes());
    copyBlob("corp/genuine", "corp/evil", sigManifest.config().digest());
    for (Descriptor blob : sigManifest.layers()) {
      copyBlob("corp/genuine", "corp/evil", blob.digest());
    }
    registry.pushManifest("corp/evil", AttachmentKind.SIGNATURE.tag(digest), sig);

    VerificationReport report = verify(strataKey.publicKey(), "corp/evil:latest");

    assertThat(report.ok()).isFalse();
    assertThat(report.text()).contains("re-tagged image?");
  }

  @Test
  void thePrivateKeyAppearsInNoBlobOfTheRegistry() throws Exception {
    Digest digest = signedBuild("corp/secret", "s", Optional.empty());
    byte[] pkcs8 = privateScalar();
    for (String tag :
        List.of(
            "latest",
            AttachmentKind.SIGNATURE.tag(digest),
            AttachmentKind.ATTESTATION.tag(digest))) {
      ContentBlob manifest = registry.manifest("corp/secret", tag).orElseThrow();
      ImageManifest parsed = ImageManifest.parse(manifest.bytes());
      assertNoSecret(manifest.bytes(), pkcs8);
      for (Descriptor d : parsed.layers()) {
        assertNoSecret(blob("corp/secret", d.digest()), pkcs8);
      }
      assertNoSecret(blob("corp/secret", parsed.config().digest()), pkcs8);
    }
  }

  /** The raw 32-byte private scalar of the signing key. */
  private static byte[] privateScalar() {
    byte[] s = strataScalar.toByteArray();
    return s.length == 33 ? java.util.Arrays.copyOfRange(s, 1, 33) : s;
  }

  private static void assertNoSecret(byte[] haystack, byte[] scalar) {
    String text = new String(haystack, StandardCharsets.ISO_8859_1);
    assertThat(text).doesNotContain(new String(scalar, StandardCharsets.ISO_8859_1));
    assertThat(text).doesNotContain(HexFormat.of().formatHex(scalar));
    assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(scalar));
    assertThat(text).doesNotContain("PRIVATE KEY");
  }

  private static byte[] blob(String repository, Digest digest) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    registry.pullBlob(repository, digest, out);
    return out.toByteArray();
  }

  private static void copyBlob(String from, String to, Digest digest) throws IOException {
    byte[] bytes = blob(from, digest);
    registry.pushBlob(to, digest, BlobSource.of(bytes), List.of());
  }
}
