//! What `spec/` holds, as data the build script writes: every endpoint's id
//! and the request fields the merchant supplies, for the checks that name
//! an endpoint, a field or a region by text.

include!(concat!(env!("OUT_DIR"), "/spec_index.rs"));

/// Whether `name` is a region of the SDK, spelled as its module is.
pub(crate) fn is_region(name: &str) -> bool {
    ENDPOINTS.iter().any(|(spec, _)| spec.split_once('/').is_some_and(|(region, _)| region == name))
}

/// The request fields of the endpoint `spec` (`"taiwan/payout"`), each
/// with whether its rules include a pattern; `None` for no endpoint.
pub(crate) fn request_fields(spec: &str) -> Option<&'static [(&'static str, bool)]> {
    ENDPOINTS.iter().find(|(id, _)| *id == spec).map(|(_, fields)| *fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::Validate;
    use crate::validation::spec::Rule;

    /// The index, written from the spec files, names each struct's own
    /// fields and patterns (its `FIELDS`, which the derive checked against
    /// the same files).
    fn agrees<R: Validate>(spec: &str) {
        let Some(indexed) = request_fields(spec) else { panic!("{spec} is not in the index") };
        let mut indexed = indexed.to_vec();
        let mut from_struct: Vec<(&str, bool)> = R::FIELDS
            .iter()
            .map(|field| (field.name, field.all_rules().any(|rule| matches!(rule, Rule::Pattern(_)))))
            .collect();
        indexed.sort_unstable();
        from_struct.sort_unstable();
        assert_eq!(indexed, from_struct, "{spec}");
    }

    #[test]
    fn the_index_agrees_with_every_request_struct() {
        macro_rules! check_all {
            ($(($request:ty, $spec:literal)),* $(,)?) => {{
                let specs = [$($spec),*];
                $(agrees::<$request>($spec);)*
                assert_eq!(specs.len(), ENDPOINTS.len(), "the index has an endpoint no struct claims");
            }};
        }
        for_each_endpoint!(check_all);
        assert!(is_region("taiwan") && is_region("southkorea") && !is_region("atlantis") && !is_region(""));
    }
}
