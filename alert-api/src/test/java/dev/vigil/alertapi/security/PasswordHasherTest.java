package dev.vigil.alertapi.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(10_000);

    @Test
    void aHashVerifiesItsPasswordOnlyAndNeverContainsIt() {
        String hash = hasher.hash("correct horse battery");
        assertTrue(hash.startsWith("pbkdf2-sha256$10000$"));
        assertFalse(hash.contains("correct horse"));
        assertTrue(hasher.matches("correct horse battery", hash));
        assertFalse(hasher.matches("correct horse battery ", hash));
        assertFalse(hasher.matches("", hash));
    }

    @Test
    void saltsDifferSoEqualPasswordsHashDifferently() {
        assertNotEquals(hasher.hash("same password here"), hasher.hash("same password here"));
    }

    @Test
    void aHashKeepsItsIterationCountSoRaisingTheDefaultKeepsOldHashesValid() {
        String old = hasher.hash("an older password");
        assertTrue(new PasswordHasher(20_000).matches("an older password", old));
    }

    @Test
    void malformedStoredHashesNeverMatch() {
        assertFalse(hasher.matches("x", "plain-text-password"));
        assertFalse(hasher.matches("x", "md5$1$abc$def"));
    }

    @Test
    void thePasswordPolicy() {
        assertNotNull(PasswordPolicy.problem("ann", "short-1"));
        assertNotNull(PasswordPolicy.problem("ann", "x1".repeat(65)));
        assertNotNull(PasswordPolicy.problem("ann", "twelve chars"), "letters only");
        assertNotNull(PasswordPolicy.problem("ann", "123456789012"), "digits only");
        assertNotNull(PasswordPolicy.problem("ann", "hello-ANN-2026"), "holds the user name");
        assertNull(PasswordPolicy.problem("ann", "twelve char5"));
    }

    @Test
    void iterationFloor() {
        assertEquals(IllegalArgumentException.class,
                assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(1_000)).getClass());
    }
}
