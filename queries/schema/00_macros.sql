-- schema/00_macros: SQL macros for the data contract's value rules: IP
-- addresses and networks, timestamps, integers, card-like numbers.
-- inputs: none
-- params: none
-- Every macro returns NULL for a value it does not accept, so a caller turns
-- "NULL from a non-NULL input" into a reject reason.  The IP macros accept
-- exactly what Python's ipaddress accepts (zone ids such as %eth0 aside) and
-- write IPv6 in its compressed form; tests/test_ip_macros.py checks this.
-- Addresses are carried as UHUGEINT; IPv4 uses the low 32 bits.

-- == IPv4 ===================================================================

-- ip4_num(s): a dotted quad as an integer (no leading zeros, as ipaddress).
CREATE OR REPLACE MACRO ip4_num(s) AS (
    CASE WHEN regexp_full_match(s,
        '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}')
    THEN list_transform([string_split(s, '.')], lambda in_p:
        ((in_p[1]::BIGINT << 24) | (in_p[2]::BIGINT << 16) | (in_p[3]::BIGINT << 8) | in_p[4]::BIGINT)::UHUGEINT)[1]
    END
);

-- ip4_text(n): an integer as a dotted quad.
CREATE OR REPLACE MACRO ip4_text(n) AS (
    list_transform([n::UBIGINT], lambda it_n:
        concat_ws('.', (it_n >> 24) & 255, (it_n >> 16) & 255, (it_n >> 8) & 255, it_n & 255))[1]
);

-- == IPv6 ===================================================================

-- ip6_groups_num(g): eight hex groups (text) as an integer.
CREATE OR REPLACE MACRO ip6_groups_num(g) AS (
    list_transform([list_transform(g, lambda ign_x: ('0x' || ign_x)::UBIGINT)], lambda ign_v:
        (((ign_v[1] << 48) | (ign_v[2] << 32) | (ign_v[3] << 16) | ign_v[4])::UHUGEINT << 64)
        | ((ign_v[5] << 48) | (ign_v[6] << 32) | (ign_v[7] << 16) | ign_v[8])::UHUGEINT)[1]
);

-- ip6_body(s): s with a trailing embedded dotted quad written as two hex groups
-- ('::ffff:1.2.3.4' -> '::ffff:102:304'); NULL when that dotted quad is invalid.
CREATE OR REPLACE MACRO ip6_body(s) AS (
    CASE WHEN NOT contains(s, '.') THEN s
         ELSE list_transform([ip4_num(regexp_extract(s, ':([0-9.]*)$', 1))], lambda ib_v:
                  CASE WHEN ib_v IS NOT NULL THEN
                      regexp_extract(s, '^(.*:)[0-9.]*$', 1) || printf('%x:%x', ib_v >> 16, ib_v & 65535)
                  END)[1]
    END
);

-- ip6_num_body(b): the integer of an IPv6 address without embedded dotted quad:
-- eight groups, or at most seven around one '::' that stands for the rest.
CREATE OR REPLACE MACRO ip6_num_body(b) AS (
    list_transform([b], lambda inb_b:
        CASE
        WHEN regexp_full_match(inb_b, '[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){7}') THEN
            ip6_groups_num(string_split(inb_b, ':'))
        WHEN regexp_full_match(inb_b, '(([0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::(([0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?') THEN
            list_transform([len(regexp_extract_all(inb_b, '[0-9A-Fa-f]+'))], lambda inb_n:
                CASE WHEN inb_n <= 7 THEN ip6_groups_num(list_concat(
                    CASE WHEN starts_with(inb_b, '::') THEN [] ELSE string_split(split_part(inb_b, '::', 1), ':') END,
                    list_transform(range(8 - inb_n), lambda inb_z: '0'),
                    CASE WHEN ends_with(inb_b, '::') THEN [] ELSE string_split(split_part(inb_b, '::', 2), ':') END))
                END)[1]
        END)[1]
);

-- ip6_num(s): an IPv6 address in any form ipaddress accepts, as an integer.
CREATE OR REPLACE MACRO ip6_num(s) AS (
    CASE WHEN contains(s, ':') AND regexp_full_match(s, '[0-9A-Fa-f:.]+') THEN ip6_num_body(ip6_body(s)) END
);

-- ip6_compress(w): ':g1:g2:...:g8:' (hex groups without leading zeros) written
-- the way ipaddress writes it: the first longest run of two or more zero
-- groups becomes '::'.
CREATE OR REPLACE MACRO ip6_compress(w) AS (
    list_transform([w], lambda ic_w: list_transform([CASE
             WHEN ic_w = ':0:0:0:0:0:0:0:0:' THEN '::'
             WHEN contains(ic_w, ':0:0:0:0:0:0:0:') THEN regexp_replace(ic_w, ':0:0:0:0:0:0:0:', '::')
             WHEN contains(ic_w, ':0:0:0:0:0:0:') THEN regexp_replace(ic_w, ':0:0:0:0:0:0:', '::')
             WHEN contains(ic_w, ':0:0:0:0:0:') THEN regexp_replace(ic_w, ':0:0:0:0:0:', '::')
             WHEN contains(ic_w, ':0:0:0:0:') THEN regexp_replace(ic_w, ':0:0:0:0:', '::')
             WHEN contains(ic_w, ':0:0:0:') THEN regexp_replace(ic_w, ':0:0:0:', '::')
             WHEN contains(ic_w, ':0:0:') THEN regexp_replace(ic_w, ':0:0:', '::')
             ELSE ic_w END], lambda ic_r:
        list_transform([CASE WHEN starts_with(ic_r, '::') THEN ic_r ELSE substr(ic_r, 2) END], lambda ic_s:
            CASE WHEN ends_with(ic_s, '::') THEN ic_s ELSE substr(ic_s, 1, length(ic_s) - 1) END)[1])[1])[1]
);

-- ip6_text(n): an integer as a compressed IPv6 address.
CREATE OR REPLACE MACRO ip6_text(n) AS (
    list_transform([{'hi': (n >> 64)::UBIGINT, 'lo': (n & 18446744073709551615)::UBIGINT}], lambda it_h:
        ip6_compress(printf(':%x:%x:%x:%x:%x:%x:%x:%x:',
            (it_h.hi >> 48) & 65535, (it_h.hi >> 32) & 65535, (it_h.hi >> 16) & 65535, it_h.hi & 65535,
            (it_h.lo >> 48) & 65535, (it_h.lo >> 32) & 65535, (it_h.lo >> 16) & 65535, it_h.lo & 65535)))[1]
);

-- == either family ==========================================================

-- ip_unmap(n): {'version', 'num'} of an IPv6 integer; IPv4-mapped addresses
-- (::ffff:a.b.c.d) are the IPv4 address they carry.
CREATE OR REPLACE MACRO ip_unmap(n) AS (
    list_transform([n], lambda iu_x:
        CASE WHEN iu_x IS NULL THEN NULL
             WHEN iu_x >> 32 = 65535 THEN {'version': 4, 'num': iu_x & 4294967295}
             ELSE {'version': 6, 'num': iu_x} END)[1]
);

-- ip_parse(s): {'version': 4|6, 'num': address} or NULL when s is not an address.
CREATE OR REPLACE MACRO ip_parse(s) AS (
    CASE WHEN contains(s, ':') THEN ip_unmap(ip6_num(s))
         ELSE list_transform([ip4_num(s)], lambda ip_x: CASE WHEN ip_x IS NOT NULL THEN {'version': 4, 'num': ip_x} END)[1]
    END
);

-- ip_text(v, n): the normalised text of address n of IP version v.
CREATE OR REPLACE MACRO ip_text(v, n) AS (
    CASE v WHEN 4 THEN ip4_text(n) WHEN 6 THEN ip6_text(n) END
);

-- ip_host_mask(v, len): the host bits of a /len network of IP version v.
CREATE OR REPLACE MACRO ip_host_mask(v, len) AS (
    CASE v WHEN 4 THEN 4294967295::UHUGEINT >> len::UHUGEINT ELSE (~0::UHUGEINT) >> len::UHUGEINT END
);

-- ip_prefix(v, n): the /24 (IPv4) or /64 (IPv6) network holding address n.
CREATE OR REPLACE MACRO ip_prefix(v, n) AS (
    CASE v WHEN 4 THEN ip4_text(n::UBIGINT & 4294967040) || '/24'
           WHEN 6 THEN ip6_text((n >> 64) << 64) || '/64' END
);

-- ip_normalise(s): the normalised text of an address, NULL when invalid.
CREATE OR REPLACE MACRO ip_normalise(s) AS (
    list_transform([ip_parse(s)], lambda in_p: ip_text(in_p.version, in_p.num))[1]
);

-- cidr_parse(s): {'version', 'len', 'lo', 'hi'} of a network 'address/len'
-- (a bare address is a /32 or /128; host bits are cleared, as ipaddress's
-- ip_network(s, strict=False)), or NULL.  IPv4-mapped networks stay IPv6.
CREATE OR REPLACE MACRO cidr_parse(s) AS (
    list_transform([{
        'version': CASE WHEN contains(split_part(s, '/', 1), ':') THEN 6 ELSE 4 END,
        'num': CASE WHEN contains(split_part(s, '/', 1), ':') THEN ip6_num(split_part(s, '/', 1))
                    ELSE ip4_num(split_part(s, '/', 1)) END,
        'len': CASE WHEN NOT contains(s, '/') THEN CASE WHEN contains(s, ':') THEN 128 ELSE 32 END
                    WHEN regexp_full_match(s, '[^/]*/[0-9]{1,3}') THEN split_part(s, '/', 2)::INTEGER END
    }], lambda cp_c:
        CASE WHEN cp_c.num IS NOT NULL AND cp_c.len IS NOT NULL AND cp_c.len <= CASE cp_c.version WHEN 4 THEN 32 ELSE 128 END THEN
            {'version': cp_c.version, 'len': cp_c.len,
             'lo': cp_c.num & ~ip_host_mask(cp_c.version, cp_c.len),
             'hi': cp_c.num | ip_host_mask(cp_c.version, cp_c.len)}
        END)[1]
);

-- cidr_text(c): the normalised text of a parsed network.
CREATE OR REPLACE MACRO cidr_text(c) AS (
    list_transform([c], lambda ct_c: ip_text(ct_c.version, ct_c.lo) || '/' || ct_c.len)[1]
);

-- == timestamps and integers ================================================

-- parse_ts(s): a timestamp in UTC from ISO 8601 (an offset converts to UTC, no
-- offset means UTC) or epoch seconds / milliseconds (|n| < 1e11 is seconds);
-- NULL when unparsable or outside [1970-01-01, 2100-01-01).
CREATE OR REPLACE MACRO parse_ts(s) AS (
    list_transform([CASE
        WHEN regexp_full_match(s, '-?[0-9]{1,15}') THEN
            CASE WHEN abs(s::BIGINT) < 100000000000 THEN make_timestamp(s::BIGINT * 1000000)
                 ELSE make_timestamp(s::BIGINT * 1000) END
        WHEN regexp_full_match(s, '-?[0-9]{1,15}\.[0-9]+') THEN
            CASE WHEN abs(s::DOUBLE) < 100000000000 THEN make_timestamp(round(s::DOUBLE * 1000000)::BIGINT)
                 ELSE make_timestamp(round(s::DOUBLE * 1000)::BIGINT) END
        WHEN regexp_full_match(s, '[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)') THEN
            timezone('UTC', TRY_CAST(upper(s) AS TIMESTAMPTZ))
        WHEN regexp_full_match(s, '[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?') THEN
            TRY_CAST(upper(s) AS TIMESTAMP)
        END], lambda pt_t: CASE WHEN pt_t >= TIMESTAMP '1970-01-01' AND pt_t < TIMESTAMP '2100-01-01' THEN pt_t END)[1]
);

-- parse_int(s): a whole number ('12', '-3', '+4', '12.0'), NULL otherwise.
CREATE OR REPLACE MACRO parse_int(s) AS (
    CASE WHEN regexp_full_match(s, '[+-]?[0-9]{1,18}(\.0*)?') THEN TRY_CAST(split_part(s, '.', 1) AS BIGINT) END
);

-- == card-like numbers =======================================================

-- luhn_valid(d): whether the digit string d passes the Luhn check.
CREATE OR REPLACE MACRO luhn_valid(d) AS (
    list_sum(list_transform(string_split(reverse(d), ''), lambda lv_c, lv_i:
        CASE WHEN lv_i % 2 = 0 THEN (lv_c::INTEGER * 2) - CASE WHEN lv_c::INTEGER >= 5 THEN 9 ELSE 0 END
             ELSE lv_c::INTEGER END)) % 10 = 0
);

-- card_like(s): cheap test whether s may hold a card-like number (13 digits,
-- possibly grouped by single spaces or hyphens); card_mask confirms.
CREATE OR REPLACE MACRO card_like(s) AS (
    regexp_matches(s, '[0-9](?:[ -]?[0-9]){12}')
);

-- card_numbers(s): the card-like numbers in s, longest first: runs of 13-19
-- digits, or of digit groups joined by single spaces / hyphens holding 13-19
-- digits in all, that pass the Luhn check.
CREATE OR REPLACE MACRO card_numbers(s) AS (
    list_transform(list_reverse_sort(list_transform(list_filter(
        list_distinct(list_concat(
            regexp_extract_all(s, '[0-9]{13,}'),
            regexp_extract_all(s, '[0-9]+(?:[ -][0-9]+)+'))),
        lambda cn_c: length(regexp_replace(cn_c, '[^0-9]', '', 'g')) BETWEEN 13 AND 19
                  AND luhn_valid(regexp_replace(cn_c, '[^0-9]', '', 'g'))),
        lambda cn_c: {'len': length(cn_c), 'text': cn_c})), lambda cn_x: cn_x.text)
);

-- card_token(c): what a card-like number is stored as: its last four digits only.
CREATE OR REPLACE MACRO card_token(c) AS (
    '[card ****' || right(regexp_replace(c, '[^0-9]', '', 'g'), 4) || ']'
);

-- card_mask(s): s with every card-like number replaced by its card_token.
CREATE OR REPLACE MACRO card_mask(s) AS (
    CASE WHEN s IS NULL OR NOT card_like(s) THEN s
         ELSE list_reduce(card_numbers(s), lambda cm_acc, cm_c: replace(cm_acc, cm_c, card_token(cm_c)), s) END
);
