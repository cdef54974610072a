package dev.vigil.core.model;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who may name a champion. The trainer signs each model's manifest (which carries the booster's
 * checksum) with its Ed25519 key; a scorer serves a model only when the signature verifies under a
 * key it trusts. Anyone who can write {@code model-updates} and the model store could otherwise make
 * the scorer serve their model: a matching checksum proves integrity, not origin.
 *
 * <p>Configuration, failing closed like the tokenization key: the trainer reads
 * {@code VIGIL_MODEL_SIGNING_KEY_FILE} (base64 PKCS#8, not readable by others: a secret mounted 0440) and
 * {@code VIGIL_MODEL_SIGNING_KEY_ID}; a scorer reads {@code VIGIL_MODEL_TRUSTED_KEYS}, public keys as
 * {@code id=base64 X.509} separated by commas (two during a key rotation). The published development
 * pair is used only under {@code VIGIL_MODE=development}.
 */
public final class ModelSigning {
    /** The model folder's signature file, written before the marker. */
    public static final String SIGNATURE_FILE = "manifest.sig";
    public static final String DEV_KEY_ID = "dev";
    private static final String DEV_PRIVATE = "MC4CAQAwBQYDK2VwBCIEIHuZt8yNGKVfrcch/O7HRrj7QWfMCmzKLsOS3BVLX55V";
    private static final String DEV_PUBLIC = "MCowBQYDK2VwAyEAIO62rQPoFWSEO7LhFEAdWkIPVh2Vhv9rpVQSkaIh4vg=";

    private ModelSigning() {
    }

    /** Signs manifests: {@code ed25519:<key id>:<base64 signature>}. */
    public record Signer(String keyId, PrivateKey key) {
        public byte[] sign(byte[] manifest) {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(key);
                s.update(manifest);
                return ("ed25519:" + keyId + ":" + Base64.getEncoder().encodeToString(s.sign()))
                        .getBytes(StandardCharsets.US_ASCII);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("signing failed: " + e.getMessage(), e);
            }
        }
    }

    /** The public keys a scorer accepts, by id. Serializable: a Flink operator carries it. */
    public static final class Trust implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Map<String, byte[]> keys;

        public Trust(Map<String, byte[]> keys) {
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("no trusted model key");
            }
            this.keys = new LinkedHashMap<>(keys);
        }

        public java.util.Set<String> keyIds() {
            return keys.keySet();
        }

        /** Why {@code signature} does not vouch for {@code manifest}, or null when it does. */
        public String problem(byte[] manifest, byte[] signature) {
            String[] parts = new String(signature, StandardCharsets.US_ASCII).trim().split(":", 3);
            if (parts.length != 3 || !parts[0].equals("ed25519")) {
                return "its signature is not an Ed25519 signature";
            }
            byte[] encoded = keys.get(parts[1]);
            if (encoded == null) {
                return "it is signed by key '" + parts[1] + "', which this scorer does not trust";
            }
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(publicKey(encoded));
                s.update(manifest);
                return s.verify(Base64.getDecoder().decode(parts[2])) ? null
                        : "its signature does not match its manifest under key '" + parts[1] + "'";
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return "its signature cannot be checked: " + e.getMessage();
            }
        }
    }

    public static Signer developmentSigner() {
        return new Signer(DEV_KEY_ID, privateKey(Base64.getDecoder().decode(DEV_PRIVATE)));
    }

    public static Trust developmentTrust() {
        return new Trust(Map.of(DEV_KEY_ID, Base64.getDecoder().decode(DEV_PUBLIC)));
    }

    public static Signer signerFromEnvironment() {
        return signer(System.getenv());
    }

    public static Trust trustFromEnvironment() {
        return trust(System.getenv());
    }

    static boolean development(Map<String, String> env) {
        return "development".equalsIgnoreCase(env.getOrDefault("VIGIL_MODE", ""));
    }

    /** The trainer's key; see the class comment. */
    public static Signer signer(Map<String, String> env) {
        String file = env.get("VIGIL_MODEL_SIGNING_KEY_FILE");
        if (file == null || file.isBlank()) {
            if (development(env)) {
                return developmentSigner();
            }
            throw new IllegalStateException("no model signing key: set VIGIL_MODEL_SIGNING_KEY_FILE (base64 PKCS#8 "
                    + "Ed25519, not readable by others) and VIGIL_MODEL_SIGNING_KEY_ID; for local runs only, "
                    + "VIGIL_MODE=development uses the published development key");
        }
        String id = env.get("VIGIL_MODEL_SIGNING_KEY_ID");
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,32}")) {
            throw new IllegalStateException("VIGIL_MODEL_SIGNING_KEY_ID must match [A-Za-z0-9._-]{1,32}");
        }
        Path path = Path.of(file);
        try {
            for (PosixFilePermission p : Files.getPosixFilePermissions(path)) {
                if (p.name().startsWith("OTHERS") || p == PosixFilePermission.GROUP_WRITE) {
                    throw new IllegalStateException("VIGIL_MODEL_SIGNING_KEY_FILE " + file
                            + " may be read or changed by others: make it 0400, 0440 or 0600");
                }
            }
            return new Signer(id, privateKey(Base64.getDecoder().decode(Files.readString(path).trim())));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("VIGIL_MODEL_SIGNING_KEY_FILE " + file + " cannot be used: " + e.getMessage());
        }
    }

    /** The keys a scorer trusts; see the class comment. */
    public static Trust trust(Map<String, String> env) {
        String listed = env.get("VIGIL_MODEL_TRUSTED_KEYS");
        if (listed == null || listed.isBlank()) {
            if (development(env)) {
                return developmentTrust();
            }
            throw new IllegalStateException("no trusted model key: set VIGIL_MODEL_TRUSTED_KEYS (id=base64 X.509 "
                    + "Ed25519 public key, comma-separated); for local runs only, VIGIL_MODE=development trusts the "
                    + "published development key");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String entry : listed.split(",")) {
            String[] kv = entry.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalStateException("VIGIL_MODEL_TRUSTED_KEYS entry is not id=key: " + entry.trim());
            }
            byte[] encoded = Base64.getDecoder().decode(kv[1].trim());
            publicKey(encoded); // refuse a malformed key at start, not at the first model
            keys.put(kv[0].trim(), encoded);
        }
        if (!development(env) && keys.containsKey(DEV_KEY_ID)
                && java.util.Arrays.equals(keys.get(DEV_KEY_ID), Base64.getDecoder().decode(DEV_PUBLIC))) {
            throw new IllegalStateException("VIGIL_MODEL_TRUSTED_KEYS trusts the published development key");
        }
        return new Trust(keys);
    }

    private static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    private static PublicKey publicKey(byte[] x509) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }
}
