package io.sparkbackprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkbackprop.nn.Network;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Damaged model files, thousands of them, seeded so a failure reproduces: every one must either load as a
 * valid network or be refused with a ModelFormatException from an explicit check, never anything else.
 */
class ModelJsonFuzzTest {
    private static final int MUTANTS = 3000;
    private static final long SEED = 20261127L;
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    /** Replacements for a number: wrong types, nulls, and values at and past the edge of a double. */
    private static final String[] NOT_QUITE_NUMBERS = {"\"1.5\"", "null", "true", "[]", "{}", "\"\"", "1e999",
            "-1e999", "1e-999", "-0", "0", "99999999999999999999999999", "1.7976931348623157E308", "NaN", "Infinity",
            "0x10", "1.", ".5", "+1", "-", "2147483648", "-2147483649", "4.9E-324"};
    /** Characters a byte flip writes, weighted towards those that change the structure. */
    private static final String FLIP_TO = "{}[],:\"\\ -.0123456789eEnulltrfase\n\t";

    private final String base = ModelJson.toJson(TestModels.threeLayerWithScaling(1));

    @Test
    void damagedFilesLoadOrFailWithAModelFormatExceptionOnly() {
        SplittableRandom rng = new SplittableRandom(SEED);
        int loaded = 0;
        int refused = 0;
        for (int i = 0; i < MUTANTS; i++) {
            byte[] mutant = base.getBytes(StandardCharsets.UTF_8);
            int edits = 1 + (rng.nextInt(4) == 0 ? rng.nextInt(3) : 0);
            List<String> applied = new ArrayList<>();
            for (int e = 0; e < edits; e++) {
                Mutation m = Mutation.values()[rng.nextInt(Mutation.values().length)];
                mutant = m.apply(mutant, rng);
                applied.add(m.name());
            }
            String label = "mutant " + i + " " + applied;
            if (tryLoad(mutant, label)) loaded++;
            else refused++;
        }
        // Guard the fuzzer itself: if nearly everything failed (or passed), it is not exploring much.
        assertTrue(loaded > MUTANTS / 50, "only " + loaded + " mutants loaded");
        assertTrue(refused > MUTANTS / 2, "only " + refused + " mutants were refused");
    }

    /** True when the bytes load, through both readers, as a sound network; false when refused properly. */
    private static boolean tryLoad(byte[] bytes, String label) {
        Boolean viaStream = outcome(() -> ModelJson.read(new ByteArrayInputStream(bytes), "fuzz.json"), bytes, label);
        Boolean viaString = outcome(() -> ModelJson.fromJson(new String(bytes, StandardCharsets.UTF_8), "fuzz.json"),
                bytes, label);
        // Decoding damaged UTF-8 into a String may repair a byte the stream parser rejects, so the two readers
        // need not agree when the bytes are not valid UTF-8.
        if (isValidUtf8(bytes)) assertEquals(viaStream, viaString, label + " loads through one reader only");
        return viaStream;
    }

    private static Boolean outcome(java.util.function.Supplier<Network> load, byte[] bytes, String label) {
        try {
            Network net = load.get();
            assertSound(net, label);
            return true;
        } catch (ModelFormatException e) {
            String msg = e.getMessage();
            assertTrue(msg != null && msg.startsWith("fuzz.json: "), label + ": message without source: " + msg);
            assertFalse(msg.contains(ModelJson.UNEXPECTED), label + ": no explicit check caught it: " + msg
                    + "\n" + new String(bytes, StandardCharsets.UTF_8));
            return false;
        } catch (Throwable t) {
            fail(label + " threw " + t + " for\n" + new String(bytes, StandardCharsets.UTF_8), t);
            return null;
        }
    }

    private static void assertSound(Network net, String label) {
        assertEquals(net.topology().numParams(), net.weights().length, label);
        for (double w : net.weights()) assertTrue(Double.isFinite(w), label + ": non-finite weight loaded");
        // Whatever loaded must also write out and read back unchanged.
        ModelJsonTest.assertBitIdentical(net, ModelJson.fromJson(ModelJson.toJson(net), "rewritten"));
    }

    private static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** Ways a file gets damaged: cut short, bit rot, lost or repeated blocks, and hand edits gone wrong. */
    private enum Mutation {
        TRUNCATE {
            @Override byte[] apply(byte[] b, SplittableRandom rng) {
                return b.length == 0 ? b : Arrays.copyOf(b, rng.nextInt(b.length));
            }
        },
        FLIP_CHARACTERS {
            @Override byte[] apply(byte[] b, SplittableRandom rng) {
                byte[] out = b.clone();
                for (int n = 1 + rng.nextInt(3); n > 0 && out.length > 0; n--) {
                    out[rng.nextInt(out.length)] = rng.nextInt(4) == 0
                            ? (byte) rng.nextInt(256) // any byte, including invalid UTF-8
                            : (byte) FLIP_TO.charAt(rng.nextInt(FLIP_TO.length()));
                }
                return out;
            }
        },
        DELETE_CHUNK {
            @Override byte[] apply(byte[] b, SplittableRandom rng) {
                if (b.length < 2) return b;
                int from = rng.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + rng.nextInt(40));
                return concat(Arrays.copyOfRange(b, 0, from), Arrays.copyOfRange(b, to, b.length));
            }
        },
        DUPLICATE_CHUNK {
            @Override byte[] apply(byte[] b, SplittableRandom rng) {
                if (b.length < 2) return b;
                int from = rng.nextInt(b.length);
                byte[] chunk = Arrays.copyOfRange(b, from, Math.min(b.length, from + 1 + rng.nextInt(60)));
                int at = rng.nextInt(b.length + 1);
                return concat(Arrays.copyOfRange(b, 0, at), chunk, Arrays.copyOfRange(b, at, b.length));
            }
        },
        REPLACE_NUMBER {
            @Override byte[] apply(byte[] b, SplittableRandom rng) {
                String replacement = rng.nextBoolean()
                        ? NOT_QUITE_NUMBERS[rng.nextInt(NOT_QUITE_NUMBERS.length)]
                        : Double.toString(rng.nextGaussian() * Math.pow(10, rng.nextInt(-320, 320)));
                return replaceNthMatch(b, NUMBER, rng, replacement);
            }
        },
        SHORTEN_ARRAY {
            @Override byte[] apply(byte[] b, SplittableRandom rng) {
                // Drops one ", element" from some array: a row, a bias, a whole row of weights or a layer.
                return replaceNthMatch(b, Pattern.compile(",\\s*(-?[\\d.eE+-]+|\\[[^\\[\\]]*\\])"), rng, "");
            }
        },
        RENAME_KEY {
            @Override byte[] apply(byte[] b, SplittableRandom rng) {
                String[] names = {"\"weights\"", "\"bias\"", "\"activation\"", "\"layers\"", "\"input_size\"",
                        "\"loss\"", "\"scaling\"", "\"label_mean\"", "\"feature_std\"", "\"format\"", "\"version\""};
                return replaceNthMatch(b, Pattern.compile("\"[a-z_]+\"(?=:)"), rng, names[rng.nextInt(names.length)]);
            }
        },
        REPLACE_NAME {
            @Override byte[] apply(byte[] b, SplittableRandom rng) {
                String[] values = {"\"softmax\"", "\"sigmoid\"", "\"relu\"", "\"linear\"", "\"bce\"", "\"cross-entropy\"",
                        "\"mse\"", "\"RELU \"", "\"\"", "\"swish\"", "7", "null"};
                return replaceNthMatch(b, Pattern.compile("(?<=: )\"[a-z-]+\""), rng, values[rng.nextInt(values.length)]);
            }
        };

        abstract byte[] apply(byte[] bytes, SplittableRandom rng);
    }

    private static byte[] replaceNthMatch(byte[] bytes, Pattern pattern, SplittableRandom rng, String replacement) {
        // Latin-1 maps bytes to chars one to one, so even invalid UTF-8 survives the round trip.
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        List<int[]> spans = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) spans.add(new int[] {m.start(), m.end()});
        if (spans.isEmpty()) return bytes;
        int[] span = spans.get(rng.nextInt(spans.size()));
        return (text.substring(0, span[0]) + replacement + text.substring(span[1])).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) length += p.length;
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
