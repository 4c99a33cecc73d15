//! Container names: Docker's `adjective_surname` generator (moby's `pkg/namesgenerator` word lists,
//! Apache-2.0, as shipped in 20.10) over the engine's seeded random source, and the name rules.

use super::super::clock::Rng;

/// The adjectives, in moby's order (the order matters: the same seed gives the same names).
#[rustfmt::skip]
const LEFT: &[&str] = &[
    "admiring", "adoring", "affectionate", "agitated", "amazing", "angry", "awesome", "beautiful",
    "blissful", "bold", "boring", "brave", "busy", "charming", "clever", "cool", "compassionate",
    "competent", "condescending", "confident", "cranky", "crazy", "dazzling", "determined",
    "distracted", "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant", "eloquent",
    "epic", "exciting", "fervent", "festive", "flamboyant", "focused", "friendly", "frosty",
    "funny", "gallant", "gifted", "goofy", "gracious", "great", "happy", "hardcore", "heuristic",
    "hopeful", "hungry", "infallible", "inspiring", "intelligent", "interesting", "jolly",
    "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "mystifying", "modest",
    "musing", "naughty", "nervous", "nice", "nifty", "nostalgic", "objective", "optimistic",
    "peaceful", "pedantic", "pensive", "practical", "priceless", "quirky", "quizzical",
    "recursing", "relaxed", "reverent", "romantic", "sad", "serene", "sharp", "silly", "sleepy",
    "stoic", "strange", "stupefied", "suspicious", "sweet", "tender", "thirsty", "trusting",
    "unruffled", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly", "wonderful",
    "xenodochial", "youthful", "zealous", "zen",
];

/// Notable scientists and hackers, in moby's order.
#[rustfmt::skip]
const RIGHT: &[&str] = &[
    "agnesi", "albattani", "allen", "almeida", "antonelli", "archimedes", "ardinghelli",
    "aryabhata", "austin", "babbage", "banach", "banzai", "bardeen", "bartik", "bassi", "beaver",
    "bell", "benz", "bhabha", "bhaskara", "black", "blackburn", "blackwell", "bohr", "booth",
    "borg", "bose", "bouman", "boyd", "brahmagupta", "brattain", "brown", "buck", "burnell",
    "cannon", "carson", "cartwright", "carver", "cerf", "chandrasekhar", "chaplygin", "chatelet",
    "chatterjee", "chaum", "chebyshev", "clarke", "cohen", "colden", "cori", "cray", "curran",
    "curie", "darwin", "davinci", "dewdney", "dhawan", "diffie", "dijkstra", "dirac", "driscoll",
    "dubinsky", "easley", "edison", "einstein", "elbakyan", "elgamal", "elion", "ellis",
    "engelbart", "euclid", "euler", "faraday", "feistel", "fermat", "fermi", "feynman", "franklin",
    "gagarin", "galileo", "galois", "ganguly", "gates", "gauss", "germain", "goldberg",
    "goldstine", "goldwasser", "golick", "goodall", "gould", "greider", "grothendieck", "haibt",
    "hamilton", "haslett", "hawking", "hellman", "heisenberg", "hermann", "herschel", "hertz",
    "heyrovsky", "hodgkin", "hofstadter", "hoover", "hopper", "hugle", "hypatia", "ishizaka",
    "jackson", "jang", "jemison", "jennings", "jepsen", "johnson", "joliot", "jones", "kalam",
    "kapitsa", "kare", "keldysh", "keller", "kepler", "khayyam", "khorana", "kilby", "kirch",
    "knuth", "kowalevski", "lalande", "lamarr", "lamport", "leakey", "leavitt", "lederberg",
    "lehmann", "lewin", "lichterman", "liskov", "lovelace", "lumiere", "mahavira", "margulis",
    "matsumoto", "maxwell", "mayer", "mccarthy", "mcclintock", "mclaren", "mclean", "mcnulty",
    "mendel", "mendeleev", "meitner", "meninsky", "merkle", "mestorf", "mirzakhani", "montalcini",
    "moore", "morse", "murdock", "moser", "napier", "nash", "neumann", "newton", "nightingale",
    "nobel", "noether", "northcutt", "noyce", "panini", "pare", "pascal", "pasteur", "payne",
    "perlman", "pike", "poincare", "poitras", "proskuriakova", "ptolemy", "raman", "ramanujan",
    "ride", "ritchie", "rhodes", "robinson", "roentgen", "rosalind", "rubin", "saha", "sammet",
    "sanderson", "satoshi", "shamir", "shannon", "shaw", "shirley", "shockley", "shtern",
    "sinoussi", "snyder", "solomon", "spence", "stonebraker", "sutherland", "swanson", "swartz",
    "swirles", "taussig", "tesla", "tharp", "thompson", "torvalds", "tu", "turing", "varahamihira",
    "vaughan", "villani", "visvesvaraya", "volhard", "wescoff", "wilbur", "wiles", "williams",
    "williamson", "wilson", "wing", "wozniak", "wright", "wu", "yalow", "yonath", "zhukovsky",
];

fn pick(rng: &Rng, n: usize) -> usize {
    (rng.next_u64() % n as u64) as usize
}

/// A random `adjective_surname`; on a retry (`retry > 0`) a digit is appended, as moby does
/// (`focused_hopper3`). `boring_wozniak` is never produced: "Steve Wozniak is not boring".
pub fn random_name(rng: &Rng, retry: u32) -> String {
    loop {
        let name = format!(
            "{}_{}",
            LEFT[pick(rng, LEFT.len())],
            RIGHT[pick(rng, RIGHT.len())]
        );
        if name == "boring_wozniak" {
            continue;
        }
        if retry > 0 {
            return format!("{name}{}", pick(rng, 10));
        }
        return name;
    }
}

/// Docker's rule for a user-chosen name: `[a-zA-Z0-9][a-zA-Z0-9_.-]+` (two characters at least, as
/// dockerd 20.10.24 enforces), an optional leading `/`.
pub fn valid_name(name: &str) -> bool {
    let n = name.strip_prefix('/').unwrap_or(name);
    let mut chars = n.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphanumeric() => {}
        _ => return false,
    }
    let rest: Vec<char> = chars.collect();
    !rest.is_empty()
        && rest
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_adjective_underscore_surname_and_repeat_with_the_seed() {
        let a: Vec<String> = (0..20).map(|_| random_name(&Rng::seeded(3), 0)).collect();
        assert!(a.iter().all(|n| n == &a[0]));
        let rng = Rng::seeded(5);
        for _ in 0..2000 {
            let n = random_name(&rng, 0);
            let (l, r) = n.split_once('_').expect("underscore");
            assert!(LEFT.contains(&l) && RIGHT.contains(&r), "{n}");
            assert_ne!(n, "boring_wozniak");
        }
        let retried = random_name(&rng, 1);
        assert!(retried.ends_with(|c: char| c.is_ascii_digit()), "{retried}");
    }

    #[test]
    fn name_rules() {
        for ok in ["web", "/web", "a1", "my_app.v2-x"] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in ["e", "a b", "_x", "-x", "", "/", "wéb"] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
