//! Association measures between two entities, from counts over N units.
//!
//! With `a` the units holding both x and y, `cx` and `cy` the units holding each, and
//! `n` all units:
//! - PMI = log2(a·n / (cx·cy))
//! - NPMI = PMI / −log2(a/n), in [−1, 1]; 1 when a = n (the limit)
//! - Jaccard = a / (cx + cy − a)
//! - G² (Dunning's log-likelihood) = 2 Σ O·ln(O/E) over the 2×2 table
//!   O = [[a, cx−a], [cy−a, n−cx−cy+a]], E = row total · column total / n; cells with
//!   O = 0 add nothing.

use serde::Serialize;

/// How strongly two entities are associated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Association {
    pub pmi: f64,
    pub npmi: f64,
    pub jaccard: f64,
    pub g2: f64,
}

/// Measures for a pair seen together in `a` of `n` units, each alone in `cx` and `cy`.
/// Requires `0 < a ≤ min(cx, cy)` and `cx + cy − a ≤ n`.
pub fn associate(a: u64, cx: u64, cy: u64, n: u64) -> Association {
    let (a_f, cx_f, cy_f, n_f) = (a as f64, cx as f64, cy as f64, n as f64);
    let pmi = (a_f * n_f / (cx_f * cy_f)).log2();
    let joint = a_f / n_f;
    let npmi = if a == n { 1.0 } else { pmi / -joint.log2() };
    let jaccard = a_f / (cx_f + cy_f - a_f);
    let observed = [[a_f, cx_f - a_f], [cy_f - a_f, n_f - cx_f - cy_f + a_f]];
    let rows = [cx_f, n_f - cx_f];
    let cols = [cy_f, n_f - cy_f];
    let mut g2 = 0.0;
    for (i, row) in observed.iter().enumerate() {
        for (j, &o) in row.iter().enumerate() {
            if o > 0.0 {
                let e = rows[i] * cols[j] / n_f;
                g2 += o * (o / e).ln();
            }
        }
    }
    Association {
        pmi,
        npmi,
        jaccard,
        g2: 2.0 * g2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn hand_computed_example() {
        // 10 units; x in 4, y in 5, both in 3.
        let m = associate(3, 4, 5, 10);
        assert!(close(m.pmi, (3.0 * 10.0 / 20.0f64).log2())); // log2 1.5
        assert!(close(m.npmi, 1.5f64.log2() / -(0.3f64).log2()));
        assert!(close(m.jaccard, 3.0 / 6.0));
        // O = [[3,1],[2,4]], rows [4,6], cols [5,5], E = [[2,2],[3,3]]
        let g2 = 2.0
            * (3.0 * (3.0f64 / 2.0).ln()
                + 1.0 * (1.0f64 / 2.0).ln()
                + 2.0 * (2.0f64 / 3.0).ln()
                + 4.0 * (4.0f64 / 3.0).ln());
        assert!(close(m.g2, g2));
    }

    #[test]
    fn always_together_everywhere() {
        let m = associate(5, 5, 5, 5);
        assert!(close(m.pmi, 0.0));
        assert!(close(m.npmi, 1.0));
        assert!(close(m.jaccard, 1.0));
        assert!(close(m.g2, 0.0));
    }

    #[test]
    fn perfectly_associated_pair_has_npmi_one() {
        let m = associate(2, 2, 2, 8);
        assert!(close(m.npmi, 1.0));
        assert!(m.g2 > 0.0 && m.g2.is_finite());
    }
}
