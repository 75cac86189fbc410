//! Three-valued fields: known, unknown (and why), absent — and undecided conditions as branches.

use crate::span::Span;
use std::fmt;

/// One outcome of an undecided condition: `IsProd` (holds) or `!IsProd` (does not).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cond {
    pub name: String,
    pub holds: bool,
}

impl fmt::Display for Cond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.holds {
            write!(f, "{}", self.name)
        } else {
            write!(f, "!{}", self.name)
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Branch<T> {
    pub cond: Cond,
    pub value: V<T>,
}

/// A field's value. Unknown is never to be read as absent nor as compliant: each rule decides what it means
/// and says so in its documentation.
#[derive(Clone, Debug, PartialEq)]
pub enum V<T> {
    Known(T, Span),
    Unknown(String, Span),
    /// Not set; the span is the closest enclosing value, where the setting would go.
    Absent(Span),
    Choice(Vec<Branch<T>>),
}

/// A single outcome of a value once every undecided condition on its way is fixed.
#[derive(Debug)]
pub struct Leaf<'a, T> {
    /// The conditions that lead to this outcome, outermost first.
    pub conds: Vec<&'a Cond>,
    pub val: LeafVal<'a, T>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy)]
pub enum LeafVal<'a, T> {
    Known(&'a T),
    /// Unknown, with the reason.
    Unknown(&'a str),
    Absent,
}

impl<'a, T> Leaf<'a, T> {
    /// The conditions as users write them: `IsProd && !UseKms`; `None` when the value is unconditional.
    pub fn condition(&self) -> Option<String> {
        if self.conds.is_empty() {
            None
        } else {
            Some(
                self.conds
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(" && "),
            )
        }
    }
}

impl<T> V<T> {
    pub fn span(&self) -> Option<Span> {
        match self {
            V::Known(_, s) | V::Unknown(_, s) | V::Absent(s) => Some(*s),
            V::Choice(b) => b.first().and_then(|b| b.value.span()),
        }
    }

    pub fn known(&self) -> Option<&T> {
        match self {
            V::Known(v, _) => Some(v),
            _ => None,
        }
    }

    /// Apply `f` to every known value, keeping the branch structure.
    pub fn and_then<U>(self, f: impl Fn(T, Span) -> V<U> + Copy) -> V<U> {
        match self {
            V::Known(v, s) => f(v, s),
            V::Unknown(w, s) => V::Unknown(w, s),
            V::Absent(s) => V::Absent(s),
            V::Choice(branches) => V::Choice(
                branches
                    .into_iter()
                    .map(|b| Branch {
                        cond: b.cond,
                        value: b.value.and_then(f),
                    })
                    .collect(),
            ),
        }
    }

    pub fn map<U>(self, f: impl Fn(T) -> U + Copy) -> V<U> {
        self.and_then(|v, s| V::Known(f(v), s))
    }

    /// Every outcome, with the conditions that lead to it. The number of leaves is the number of branches
    /// written in the template: nested conditions are followed, never combined.
    pub fn leaves(&self) -> Vec<Leaf<'_, T>> {
        let mut out = Vec::new();
        self.collect_leaves(&mut Vec::new(), &mut out);
        out
    }

    fn collect_leaves<'a>(&'a self, conds: &mut Vec<&'a Cond>, out: &mut Vec<Leaf<'a, T>>) {
        match self {
            V::Known(v, s) => out.push(Leaf {
                conds: conds.clone(),
                val: LeafVal::Known(v),
                span: *s,
            }),
            V::Unknown(why, s) => out.push(Leaf {
                conds: conds.clone(),
                val: LeafVal::Unknown(why),
                span: *s,
            }),
            V::Absent(s) => out.push(Leaf {
                conds: conds.clone(),
                val: LeafVal::Absent,
                span: *s,
            }),
            V::Choice(branches) => {
                for b in branches {
                    conds.push(&b.cond);
                    b.value.collect_leaves(conds, out);
                    conds.pop();
                }
            }
        }
    }
}
