"""Recognising headers and parsing amounts, dates and flags as real exports write them.

Parsing happens in SQL (DuckDB) so that a file of millions of rows is parsed in one pass;
the functions here build the SQL expressions and detect each column's conventions from
its distinct values.
"""

from __future__ import annotations

import re
import unicodedata

from loyalty_lessons.errors import LoyaltyDataError

#: Header names recognised for each role, normalised (lower case, no accents, letters and
#: digits only). English, French, Italian, Russian, German and Spanish.
HEADER_ALIASES: dict[str, list[str]] = {
    "customer_id": [
        "customerid",
        "customer",
        "customerno",
        "customernumber",
        "customercode",
        "client",
        "clientid",
        "idclient",
        "noclient",
        "numeroclient",
        "nclient",
        "codeclient",
        "cliente",
        "idcliente",
        "codicecliente",
        "numerocliente",
        "ncliente",
        "клиент",
        "idклиента",
        "кодклиента",
        "номерклиента",
        "покупатель",
        "kunde",
        "kundenid",
        "kundennummer",
        "kundennr",
        "memberid",
        "member",
        "cardnumber",
        "loyaltycard",
        "cartefidelite",
    ],
    "date": [
        "date",
        "orderdate",
        "purchasedate",
        "transactiondate",
        "dateachat",
        "datedecommande",
        "datedachat",
        "data",
        "dataacquisto",
        "dataordine",
        "дата",
        "датапокупки",
        "датазаказа",
        "datum",
        "kaufdatum",
        "bestelldatum",
        "fecha",
        "fechadecompra",
        "fechacompra",
    ],
    "amount": [
        "amount",
        "netamount",
        "total",
        "sales",
        "revenue",
        "value",
        "montant",
        "montantttc",
        "montantht",
        "importo",
        "totale",
        "valore",
        "сумма",
        "стоимость",
        "betrag",
        "umsatz",
        "importe",
        "valor",
    ],
    "order_id": [
        "orderid",
        "order",
        "orderno",
        "ordernumber",
        "receipt",
        "receiptno",
        "invoice",
        "ticket",
        "transactionid",
        "commande",
        "nocommande",
        "numerocommande",
        "facture",
        "ordine",
        "numeroordine",
        "scontrino",
        "fattura",
        "заказ",
        "номерзаказа",
        "чек",
        "номерчека",
        "bestellung",
        "bestellnummer",
        "beleg",
        "belegnummer",
        "rechnung",
        "pedido",
        "factura",
    ],
    "discount": ["discount", "discountamount", "remise", "sconto", "скидка", "rabatt", "descuento"],
    "promotion": [
        "promotion",
        "promo",
        "onpromotion",
        "promotionflag",
        "promozione",
        "акция",
        "aktion",
        "promocion",
        "oferta",
        "offer",
    ],
    "channel": [
        "channel",
        "store",
        "shop",
        "canal",
        "magasin",
        "boutique",
        "canale",
        "negozio",
        "puntovendita",
        "канал",
        "магазин",
        "filiale",
        "kanal",
        "tienda",
    ],
    "category": [
        "category",
        "type",
        "reason",
        "subject",
        "categorie",
        "motif",
        "categoria",
        "motivo",
        "категория",
        "причина",
        "kategorie",
        "grund",
    ],
    "respondent_id": [
        "respondentid",
        "respondent",
        "responseid",
        "response",
        "repondant",
        "rispondente",
        "респондент",
        "befragter",
        "encuestado",
    ],
    "satisfaction": [
        "satisfaction",
        "overallsatisfaction",
        "soddisfazione",
        "удовлетворенность",
        "zufriedenheit",
        "satisfaccion",
    ],
    "recommend": [
        "recommend",
        "likelihoodtorecommend",
        "nps",
        "recommandation",
        "recommander",
        "raccomandazione",
        "consigliare",
        "рекомендация",
        "порекомендовать",
        "weiterempfehlung",
        "empfehlung",
        "recomendacion",
        "recomendar",
    ],
}

_FLAGS = {
    True: {"1", "true", "t", "yes", "y", "x", "oui", "o", "vrai", "si", "sì", "vero", "да", "ja", "wahr"},
    False: {"0", "false", "f", "no", "n", "non", "faux", "falso", "нет", "nein", ""},
}

# Currency signs and codes that may stand before or after an amount.
_CURRENCY = r"(€|\$|£|¥|₽|₹|CHF|EUR|USD|GBP|RUB|руб\.?|р\.|zł|Fr\.|kr)"
_SPACES = "[\\s\u00a0\u202f''’]"  # '' is a quote inside SQL

# (strptime format, convention): convention tells day-first from month-first. Dotted
# dates (05.01.2024) are day-first only: no convention writes the month first with dots.
DATE_FORMATS = [
    ("%Y-%m-%d", "iso"),
    ("%Y/%m/%d", "iso"),
    ("%Y.%m.%d", "iso"),
    ("%Y%m%d", "iso"),
    ("%d/%m/%Y", "day-first"),
    ("%d.%m.%Y", "day-first"),
    ("%d-%m-%Y", "day-first"),
    ("%m/%d/%Y", "month-first"),
    ("%m-%d-%Y", "month-first"),
    ("%d/%m/%y", "day-first"),
    ("%d.%m.%y", "day-first"),
    ("%m/%d/%y", "month-first"),
]


def normalise(header: str) -> str:
    """Lower case, accents removed, letters and digits only: 'N° Client' -> 'noclient'."""
    text = unicodedata.normalize("NFKD", str(header).replace("°", "o").replace("º", "o"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", text.lower())


def match_roles(
    headers: list[str], roles: list[str], columns: dict[str, str] | None, source: str
) -> dict[str, str]:
    """Map each role to a header: explicit ``columns`` first, then exact aliases, then
    headers that contain an alias (e.g. 'Montant TTC (EUR)')."""
    columns = dict(columns or {})
    unknown_roles = set(columns) - set(roles)
    if unknown_roles:
        raise LoyaltyDataError(
            f"columns= names roles {sorted(unknown_roles)} that this table "
            f"does not have; its roles are {roles}."
        )
    for role, header in columns.items():
        if header not in headers:
            raise LoyaltyDataError(
                f"columns= maps {role!r} to {header!r}, but {source} has no such "
                f"column. Its columns are: {headers}."
            )
    found = dict(columns)
    taken = set(columns.values())
    normalised = {h: normalise(h) for h in headers}
    for exact in (True, False):
        for role in roles:
            if role in found:
                continue
            aliases = HEADER_ALIASES.get(role, [role.replace("_", "")])
            hits = [
                h
                for h in headers
                if h not in taken
                and (
                    normalised[h] in aliases
                    if exact
                    else any(len(a) >= 4 and a in normalised[h] for a in aliases)
                )
            ]
            if len(hits) == 1:
                found[role] = hits[0]
                taken.add(hits[0])
            elif len(hits) > 1 and exact:
                raise LoyaltyDataError(
                    f"{source} has several columns that could be the {role!r}: {hits}. Say which "
                    f"one with columns={{{role!r}: {hits[0]!r}}}."
                )
    return found


def amount_sql(col: str) -> str:
    """SQL that turns text like '1 234,50 €', '$1,234.50', '(12.00)' or '-3,5' into a
    canonical string: an optional '-' then digits with their original separators."""
    cleaned = f"regexp_replace(regexp_replace(trim({col}), '{_CURRENCY}', '', 'gi'), '{_SPACES}', '', 'g')"
    return (
        f"(CASE WHEN regexp_full_match({cleaned}, '\\((.*)\\)') OR regexp_full_match({cleaned}, '.*-') "
        f"THEN '-' || regexp_replace({cleaned}, '[()+\\-−]', '', 'g') "
        f"ELSE regexp_replace(regexp_replace({cleaned}, '^[+]', ''), '^−', '-') END)"
    )


def number_patterns(decimal: str) -> tuple[str, str]:
    """(valid-number regex, SQL to make it castable) for a decimal mark."""
    thousands = "\\." if decimal == "," else ","
    dec = "," if decimal == "," else "\\."
    pattern = f"-?(\\d{{1,3}}({thousands}\\d{{3}})+|\\d+)({dec}\\d+)?|-?{dec}\\d+"
    return pattern, thousands


def detect_decimal(con, expr: str, relation: str = "raw") -> str:
    """Which decimal mark a text column of amounts uses: the one that is followed by one
    or two digits at the end of more values ('12,50' vs '12.50'). Defaults to '.'."""
    comma, dot = con.execute(
        "SELECT count(*) FILTER (WHERE regexp_matches(v, ',\\d{1,2}$')"
        " OR regexp_matches(v, '\\.\\d{3},')),"
        "       count(*) FILTER (WHERE regexp_matches(v, '\\.\\d{1,2}$')"
        " OR regexp_matches(v, ',\\d{3}\\.')) "
        f"FROM (SELECT DISTINCT {expr} AS v FROM {relation} LIMIT 200000)"
    ).fetchall()[0]
    return "," if comma > dot else "."


def number_sql(canonical: str, decimal: str) -> str:
    """SQL DOUBLE from a canonical amount string, NULL when it does not fit the convention."""
    pattern, thousands = number_patterns(decimal)
    value = f"replace(regexp_replace({canonical}, '{thousands}', '', 'g'), ',', '.')"
    return f"(CASE WHEN regexp_full_match({canonical}, '{pattern}') THEN TRY_CAST({value} AS DOUBLE) END)"


def date_part_sql(col: str) -> str:
    """The date part of a text value ('2024-02-03 14:05' -> '2024-02-03')."""
    return f"nullif(regexp_extract(trim({col}), '^([^\\sT]+)', 1), '')"


def detect_date_format(con, col: str, source: str, header: str, relation: str = "raw") -> str:
    """The strptime format that parses the most distinct values of a text column.

    Raises when day-first and month-first read every value equally well (all days are
    12 or less), because guessing would silently swap days and months."""
    part = date_part_sql(col)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _dates AS SELECT DISTINCT {part} AS v "
        f"FROM {relation} WHERE {part} IS NOT NULL LIMIT 200000"
    )
    total = con.execute("SELECT count(*) FROM _dates").fetchall()[0][0]
    if total == 0:
        return DATE_FORMATS[0][0]
    scores = {}
    for fmt, _ in DATE_FORMATS:
        scores[fmt] = con.execute("SELECT count(try_strptime(v, ?)) FROM _dates", [fmt]).fetchall()[0][0]
    best = max(scores.values())
    winners = [(f, c) for f, c in DATE_FORMATS if scores[f] == best]
    if best == 0:
        examples = [r[0] for r in con.execute("SELECT v FROM _dates LIMIT 3").fetchall()]
        raise LoyaltyDataError(
            f"No date format fits column {header!r} of {source} (e.g. {examples}). Pass "
            "date_format= with the strptime format, e.g. date_format='%d/%m/%Y'."
        )
    conventions = {c for _, c in winners}
    if {"day-first", "month-first"} <= conventions:
        examples = [r[0] for r in con.execute("SELECT v FROM _dates ORDER BY v LIMIT 3").fetchall()]
        raise LoyaltyDataError(
            f"The dates in column {header!r} of {source} (e.g. {examples}) read equally well "
            "day-first and month-first, because no day is above 12. Say which with "
            "date_format='%d/%m/%Y' (day first) or date_format='%m/%d/%Y' (month first)."
        )
    return winners[0][0]


def flag_sql(col: str) -> str:
    """SQL BOOLEAN from yes/no-like text in six languages; NULL when not recognised."""
    true = ", ".join(f"'{v}'" for v in sorted(_FLAGS[True]))
    false = ", ".join(f"'{v}'" for v in sorted(_FLAGS[False]))
    v = f"lower(trim(coalesce(CAST({col} AS VARCHAR), '')))"
    return f"(CASE WHEN {v} IN ({true}) THEN true WHEN {v} IN ({false}) THEN false END)"
