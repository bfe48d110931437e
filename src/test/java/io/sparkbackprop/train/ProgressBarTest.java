package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.io.EpochRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void rendersTheShareDoneWithAnArrowHead() {
        assertEquals("[          ]   0%", ProgressBar.render(0, 10));
        assertEquals("[===>      ]  37%", ProgressBar.render(0.37, 10));
        assertEquals("[=========>]  99%", ProgressBar.render(0.999, 10));
        assertEquals("[==========] 100%", ProgressBar.render(1, 10));
        assertEquals("[==========] 100%", ProgressBar.render(1.5, 10));
    }

    @Test
    void redrawsInPlaceAndWipesItselfBeforeTheEpochLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        bar.onStart(0, 2, 4);
        bar.onStep(1, 3, 1.0, 10); // the last step of an epoch is always drawn: 4 of 8 steps
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.startsWith("\r[===============>              ]  50%  epoch 1/2  step 4/4"), drawn);
        assertTrue(!drawn.contains("\n"), "never a new line: the next draw overwrites it");
        bytes.reset();
        bar.onEpoch(new EpochRecord(1, 1, 1, 1), 2, 40);
        String wiped = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(wiped.matches("\r +\r"), "spaces over the bar, cursor back at the start: '" + wiped + "'");
        assertEquals(drawn.length() - 1, wiped.length() - 2);
    }
}
