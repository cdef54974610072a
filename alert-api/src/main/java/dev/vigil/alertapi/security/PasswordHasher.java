package dev.vigil.alertapi.security;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * PBKDF2-HMAC-SHA256 password hashes with a random salt per user, stored as
 * {@code pbkdf2-sha256$iterations$salt$hash}. The JDK has it, so no extra crypto dependency; the
 * iteration count (OWASP's 600,000 by default) is kept in each hash, so raising it later leaves old
 * hashes verifiable.
 */
@Singleton
public final class PasswordHasher {
    private static final String SCHEME = "pbkdf2-sha256";
    private final SecureRandom random = new SecureRandom();
    private final int iterations;

    public PasswordHasher(@Value("${vigil.api.password-iterations:600000}") int iterations) {
        if (iterations < 10_000) {
            throw new IllegalArgumentException("vigil.api.password-iterations must be at least 10000");
        }
        this.iterations = iterations;
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return SCHEME + "$" + iterations + "$" + b64(salt) + "$" + b64(derive(password, salt, iterations));
    }

    /** True when {@code password} matches {@code stored}; compares in constant time. */
    public boolean matches(String password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        return MessageDigest.isEqual(expected, derive(password, salt, Integer.parseInt(parts[1])));
    }

    /** A hash to compare against when the user does not exist, so timing does not reveal user names. */
    public String decoy() {
        return hash("decoy-password-never-matches");
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JRE", e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }
}
