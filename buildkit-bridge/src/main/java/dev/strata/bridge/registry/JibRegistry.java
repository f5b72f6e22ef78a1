package dev.strata.bridge.registry;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Registry} over jib-core's {@code RegistryClient}: one {@code FailoverHttpClient} per
 * registry (so "insecure" is a per-registry choice), one authenticated client per repository and
 * access, every call retried by {@link RetryPolicy} and its failures translated by {@link
 * RegistryFailures}. Exact-bytes manifest reads go through {@link RawEndpoints}.
 */
final class JibRegistry implements Registry {
  private final String host;
  private final String serverUrl;
  private final Optional<RegistryCredential> credential;
  private final FailoverHttpClient http;
  private final RetryPolicy retry;
  private final RegistryFailures failures;
  private final EventHandlers events;
  private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

  JibRegistry(
      String host,
      boolean insecure,
      Optional<RegistryCredential> credential,
      List<String> credentialFiles,
      RetryPolicy retry) {
    this.host = host;
    // docker.io is a name; its API lives on another host (jib's alias handling expects this).
    this.serverUrl = host.equals("docker.io") ? "registry-1.docker.io" : host;
    this.credential = credential;
    this.retry = retry;
    this.failures = new RegistryFailures(host, credential, credentialFiles);
    // jib logs request failures (in colour) and credential-helper chatter; Strata reports
    // failures itself, so its log events are dropped.
    this.events = EventHandlers.builder().add(LogEvent.class, event -> {}).build();
    // sendAuthorizationOverHttp only for registries the user marked insecure: for the others plain
    // HTTP is never used at all.
    this.http = RawEndpoints.httpClient(insecure);
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public Optional<ContentBlob> manifest(String repository, String reference) throws IOException {
    String what = "read manifest " + host + "/" + repository + referenceSuffix(reference);
    Optional<ContentBlob> found =
        retry.run(
            what,
            failures,
            () ->
                RawEndpoints.getManifest(
                    client(repository, Access.PULL, null), repository, reference));
    if (found.isPresent() && reference.startsWith("sha256:")) {
      Digest expected = Digest.parse(reference);
      if (!found.get().digest().equals(expected)) {
        throw new RegistryAccessException(
            RegistryAccessException.Kind.PROTOCOL,
            host
                + "/"
                + repository
                + "@"
                + expected
                + " was served with bytes whose digest is "
                + found.get().digest()
                + "; refusing it");
      }
    }
    return found;
  }

  @Override
  public boolean hasBlob(String repository, Digest digest) throws IOException {
    return hasBlob(repository, digest, Access.PULL);
  }

  private boolean hasBlob(String repository, Digest digest, Access access) throws IOException {
    return retry.run(
        "check blob " + digest + " in " + host + "/" + repository,
        failures,
        () -> client(repository, access, null).checkBlob(jibDigest(digest)).isPresent());
  }

  @Override
  public void pullBlob(String repository, Digest digest, OutputStream sink) throws IOException {
    // Not retried here: bytes may already be in the sink. ImageTransfer retries whole blobs.
    String what = "pull blob " + digest + " from " + host + "/" + repository;
    try {
      RegistryClient client =
          retry.run(what, failures, () -> client(repository, Access.PULL, null));
      Blob blob = client.pullBlob(jibDigest(digest), size -> {}, written -> {});
      blob.writeTo(sink);
    } catch (RegistryAccessException e) {
      throw e;
    } catch (Exception e) {
      throw failures.translate(e, what);
    }
  }

  @Override
  public BlobPush pushBlob(
      String repository, Digest digest, BlobSource content, List<String> mountFrom)
      throws IOException {
    if (hasBlob(repository, digest, Access.PUSH)) {
      return BlobPush.EXISTED;
    }
    String source = null;
    for (String candidate : mountFrom) {
      if (!candidate.equals(repository) && hasBlob(candidate, digest, Access.PULL)) {
        source = candidate;
        break;
      }
    }
    String from = source;
    Blob blob = Blobs.from(out -> copy(content, out), true);
    String what = "push blob " + digest + " to " + host + "/" + repository;
    boolean skipped =
        retry.run(
            what,
            failures,
            () ->
                client(repository, Access.PUSH, from)
                    .pushBlob(jibDigest(digest), blob, from, n -> {}));
    if (!skipped) {
      return BlobPush.UPLOADED;
    }
    return from != null ? BlobPush.MOUNTED : BlobPush.EXISTED;
  }

  private static void copy(BlobSource content, OutputStream out) throws IOException {
    try (InputStream in = content.open()) {
      in.transferTo(out);
    }
  }

  @Override
  public Digest pushManifest(String repository, String reference, ContentBlob manifest)
      throws IOException {
    String what =
        "push manifest "
            + manifest.digest()
            + " to "
            + host
            + "/"
            + repository
            + referenceSuffix(reference);
    RawManifest template = new RawManifest(manifest);
    DescriptorDigest pushed =
        retry.run(
            what,
            failures,
            () -> client(repository, Access.PUSH, null).pushManifest(template, reference));
    Digest digest = Digest.parse(pushed.toString());
    if (!digest.equals(manifest.digest())) {
      throw new RegistryAccessException(
          RegistryAccessException.Kind.PROTOCOL,
          "pushed manifest "
              + manifest.digest()
              + " to "
              + host
              + "/"
              + repository
              + " but it was sent as "
              + digest
              + " (the bytes changed in transit; this is a bug in strata)");
    }
    return digest;
  }

  @Override
  public List<String> tags(String repository) throws IOException {
    return retry.run(
        "list tags of " + host + "/" + repository,
        failures,
        () -> RawEndpoints.listTags(client(repository, Access.PULL, null), repository));
  }

  @Override
  public List<String> repositories() throws IOException {
    return retry.run(
        "list the repositories of " + host,
        failures,
        () -> RawEndpoints.listRepositories(client("", Access.PULL, null)));
  }

  @Override
  public void close() throws IOException {
    http.shutDown();
  }

  @Override
  public String toString() {
    return "Registry[" + host + "]";
  }

  private enum Access {
    PULL,
    PUSH
  }

  /** A client authenticated for {@code access} to {@code repository} (and pull of mountFrom). */
  private RegistryClient client(String repository, Access access, String mountFrom)
      throws IOException, com.google.cloud.tools.jib.api.RegistryException {
    String key = access + " " + repository + " " + mountFrom;
    RegistryClient existing = clients.get(key);
    if (existing != null) {
      return existing;
    }
    RegistryClient.Factory factory =
        mountFrom == null
            ? RegistryClient.factory(events, serverUrl, repository, http)
            : RegistryClient.factory(events, serverUrl, repository, mountFrom, http);
    credential.ifPresent(c -> factory.setCredential(Credential.from(c.username(), c.secret())));
    RegistryClient client = factory.setUserAgent("strata").newRegistryClient();
    boolean bearer = access == Access.PUSH ? client.doPushBearerAuth() : client.doPullBearerAuth();
    if (!bearer && credential.isPresent()) {
      client.configureBasicAuth();
    }
    clients.put(key, client);
    return client;
  }

  private static DescriptorDigest jibDigest(Digest digest) {
    try {
      return DescriptorDigest.fromDigest(digest.toString());
    } catch (DigestException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String referenceSuffix(String reference) {
    return reference.startsWith("sha256:") ? "@" + reference : ":" + reference;
  }
}
