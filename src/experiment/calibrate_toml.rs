//! The fitted scenario: the template's own text (comments and layout kept, by
//! `toml_edit`) with each fitted figure put in place and a comment beside it giving n,
//! the 95% interval, the fit and the template's value; a header lists what the
//! history could not identify.

use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

use super::calibrate::{Calibration, Fitted, FittedValue};

/// Four significant figures: what the data supports, and readable.
fn round4(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(3 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

fn value_of(v: &FittedValue) -> Value {
    match v {
        FittedValue::Number(x) => Value::from(round4(*x)),
        FittedValue::List(xs) => {
            let mut a = toml_edit::Array::new();
            for x in xs {
                a.push(round4(*x));
            }
            Value::Array(a)
        }
        FittedValue::Distribution(d) => {
            let mut t = InlineTable::new();
            t.insert("dist", Value::from(d.family.name()));
            t.insert("mean", Value::from(round4(d.mean)));
            if d.family != crate::data::fit::Family::Exponential {
                t.insert("sd", Value::from(round4(d.sd)));
            }
            Value::InlineTable(t)
        }
    }
}

fn comment(f: &Fitted, was: &str) -> String {
    let ci = if f.ci95.0.is_finite() {
        format!(", 95% interval {}..{}", round4(f.ci95.0), round4(f.ci95.1))
    } else {
        String::new()
    };
    format!("  # fitted: n = {}{ci}; {}; template: {was}", f.n, f.fit)
}

/// The table that holds `key`'s last part, found by its dotted path
/// (`funnel.2.advance`: the third `[[funnel]]`).
fn table_of<'a>(doc: &'a mut DocumentMut, key: &str) -> Option<(&'a mut Table, String)> {
    let parts: Vec<&str> = key.split('.').collect();
    let (last, path) = parts.split_last()?;
    let mut table: &mut Table = doc.as_table_mut();
    let mut i = 0;
    while i < path.len() {
        let name = path[i];
        let nested = i > 0;
        let item = table.entry(name).or_insert_with(|| {
            // A table new below the top (`office_shares` a source had not set) goes in
            // as dotted keys of its parent, where the template would have written it.
            let mut t = Table::new();
            t.set_dotted(nested);
            Item::Table(t)
        });
        // An inline table (`office_shares = { north = 0.5, ... }`) becomes dotted keys
        // (`office_shares.north = 0.5`), so that each value can have its own comment.
        if let Some(inline) = item.as_inline_table().cloned() {
            let mut t = inline.into_table();
            t.set_dotted(true);
            *item = Item::Table(t);
        }
        match path.get(i + 1).and_then(|p| p.parse::<usize>().ok()) {
            Some(n) => {
                table = item.as_array_of_tables_mut()?.get_mut(n)?;
                i += 2;
            }
            None => {
                table = item.as_table_mut()?;
                i += 1;
            }
        }
    }
    Some((table, (*last).to_string()))
}

/// The template with the fitted values in place; `Err` names a key it could not place.
pub fn fitted_toml(template: &str, c: &Calibration, header: &[String]) -> Result<String, String> {
    let mut doc: DocumentMut = template
        .parse()
        .map_err(|e| format!("the template is not TOML: {e}"))?;
    for f in &c.fitted {
        let (table, key) = table_of(&mut doc, &f.key)
            .ok_or_else(|| format!("{}: the template has no such table to write it in", f.key))?;
        let (was, old_comment) = match table.get(&key).and_then(Item::as_value) {
            Some(v) => {
                let mut bare = v.clone();
                bare.decor_mut().clear();
                let comment = v.decor().suffix().and_then(|s| s.as_str()).unwrap_or("");
                (bare.to_string(), comment.trim().to_string())
            }
            None => ("(not set: its default)".to_string(), String::new()),
        };
        let mut value = value_of(&f.value);
        let mut suffix = comment(f, &was);
        if !old_comment.is_empty() {
            suffix.push_str(&format!(
                " | {}",
                old_comment.trim_start_matches('#').trim()
            ));
        }
        value.decor_mut().set_suffix(suffix);
        value.decor_mut().set_prefix(" ");
        table.insert(&key, Item::Value(value));
    }
    let mut text = String::new();
    for line in header {
        text.push_str(&format!("# {line}\n"));
    }
    text.push('\n');
    text.push_str(&doc.to_string());
    Ok(text)
}
