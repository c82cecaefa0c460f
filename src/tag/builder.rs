//! Configuring a tagger: one builder holds every choice, and what it builds never
//! changes, so one tagger can be shared by reference across threads (the shape of
//! aho-corasick's `AhoCorasickBuilder`).

use crate::gazetteer::Gazetteer;
use crate::tag::matcher::{BuildError, Case, Tagger};
use crate::tag::resolve::{ResolveOptions, StopList};

/// How a [`Tagger`] matches and resolves: the case rule, the document heuristics, and
/// the surface forms never to tag. Every heuristic is on by default, as in `gaztag tag`.
///
/// ```
/// use gaztag::{Case, Gazetteer, Tagger};
///
/// let gazetteer = Gazetteer::from_yaml_str("orgs.yaml", "
/// type: ORG
/// entities:
///   - {id: who, name: WHO}
/// ")?;
/// let tagger = Tagger::builder()
///     .case(Case::Insensitive)
///     .discovery(false)
///     .build(gazetteer)?;
/// assert_eq!(tagger.tag("who said so").len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct TaggerBuilder {
    case: Case,
    options: ResolveOptions,
}

impl TaggerBuilder {
    /// The defaults: [`Case::Smart`], every heuristic on, the built-in stop list.
    pub fn new() -> TaggerBuilder {
        TaggerBuilder::default()
    }

    /// How an alias's case must show in the text.
    pub fn case(&mut self, case: Case) -> &mut TaggerBuilder {
        self.case = case;
        self
    }

    /// Whether a person named in full is then found by surname alone, and an
    /// organization introduced as "Long Name (ACRO)" by its acronym.
    pub fn coreference(&mut self, yes: bool) -> &mut TaggerBuilder {
        self.options.coref = yes;
        self
    }

    /// Whether names no gazetteer knows are found by their shape.
    pub fn discovery(&mut self, yes: bool) -> &mut TaggerBuilder {
        self.options.discovery = yes;
        self
    }

    /// Whether an ambiguous span's entity is chosen from the document; off, the entity
    /// loaded first wins.
    pub fn disambiguation(&mut self, yes: bool) -> &mut TaggerBuilder {
        self.options.disambiguation = yes;
        self
    }

    /// Adds these surface forms to those never tagged. The built-in list is always on
    /// (it holds forms that in news are nearly always something else); each call adds,
    /// like each `--stop FILE`.
    pub fn stop_list(&mut self, list: StopList) -> &mut TaggerBuilder {
        self.options.stop.append(list);
        self
    }

    /// Compiles the gazetteer's aliases into a tagger. The tagger takes the gazetteer's
    /// entities rather than copying them: a gazetteer of a million names is large, and
    /// [`Tagger::entities`] gives them back.
    pub fn build(&self, gazetteer: Gazetteer) -> Result<Tagger, BuildError> {
        Tagger::compile(gazetteer, self.case, self.options.clone())
    }
}

impl Tagger {
    /// A builder to configure a tagger; [`Tagger::new`] is its defaults.
    pub fn builder() -> TaggerBuilder {
        TaggerBuilder::new()
    }

    /// A tagger with the defaults of [`TaggerBuilder::new`].
    pub fn new(gazetteer: Gazetteer) -> Result<Tagger, BuildError> {
        TaggerBuilder::new().build(gazetteer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pinned at compile time: a tagger is shared by reference across rayon's threads,
    /// and a panic in one document must not leave it unusable for the others.
    #[test]
    fn tagger_is_shareable_and_unwind_safe() {
        fn assert_traits<T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}
        assert_traits::<Tagger>();
        assert_traits::<TaggerBuilder>();
    }

    #[test]
    fn stop_lists_add_to_the_builtin_one() {
        let yaml =
            "type: LOC\nentities:\n  - {id: may, name: May}\n  - {id: imamoglu, name: Imamoglu}\n";
        let g = || Gazetteer::from_yaml_str("t.yaml", yaml).unwrap();
        let text = "Imamoglu in May.";
        let tagger = Tagger::builder().discovery(false).build(g()).unwrap();
        assert_eq!(
            tagger.tag(text).len(),
            1,
            "Imamoglu is in the built-in list"
        );
        let tagger = Tagger::builder()
            .discovery(false)
            .stop_list("may\n".parse().unwrap())
            .build(g())
            .unwrap();
        assert!(tagger.tag(text).is_empty());
    }
}
