package nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestTest {
    @ParameterizedTest
    @CsvSource({"relu,relu,0", "relux,relu,1", "sigmiod,sigmoid,1", "crossentropy,cross_entropy,1", "abc,xyz,3", ",abc,3", "h,hh,1"})
    void editDistanceCountsSwapsAsOneEdit(String a, String b, int d) {
        assertEquals(d, Suggest.distance(a == null ? "" : a, b));
    }

    @ParameterizedTest
    @CsvSource({"hiden,hidden", "H.w,h.W", "epoch,epochs", "bce_with_logit,bce_with_logits", "W1,w1"})
    void suggestsTheClosestCandidate(String name, String expected) {
        assertEquals("did you mean '" + expected + "'?", Suggest.didYouMean(name, List.of("x", "h.W", "hidden", "epochs", "w1", "bce_with_logits")));
    }

    @ParameterizedTest
    @CsvSource({"q", "zzzzzz", "model"})
    void staysQuietWhenNothingIsClose(String name) {
        assertNull(Suggest.didYouMean(name, List.of("x", "hidden", "epochs")));
    }
}
