"""The demo data that `make run` loads and other tests rely on: companies, people, carts and a
generated catalog. Loading it again changes nothing: every piece is created only if it is
missing, so changes made while trying the shop survive a restart."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from cartshare.accounts.models import BusinessUnit, Company, CompanyUser, Customer
from cartshare.activity.services import Verb, activity_record
from cartshare.carts.models import Cart
from cartshare.carts.services import cart_activate, cart_create, cart_item_add
from cartshare.catalog.models import Category, Product
from cartshare.sharing.models import CartShare, SharePermission

PASSWORD = "demo1234"

# (category name, slug, SKU prefix, products as (name, price in cents, description))
CATALOG: list[tuple[str, str, str, list[tuple[str, int, str]]]] = [
    (
        "Office",
        "office",
        "OFF",
        [
            ("Stapler", 1290, "Metal desktop stapler for up to 25 sheets, takes 24/6 staples."),
            ("Heavy-duty stapler", 3490, "Staples up to 100 sheets; for reports and manuals."),
            ("Staples 24/6, 1,000 pieces", 149, "Galvanised staples for standard staplers."),
            ("Staple remover", 249, "Jaw-style remover that spares the paper."),
            ("Hole punch, 2 holes", 990, "Punches up to 30 sheets, with a paper guide."),
            ("Paper clips, 100 pieces", 199, "Silver paper clips, 28 mm."),
            ("Binder clips 19 mm, 12 pieces", 349, "Black foldback clips for up to 60 sheets."),
            ("Tape dispenser", 890, "Weighted desk dispenser for 19 mm tape."),
            ("Clear tape 19 mm x 33 m", 129, "Crystal-clear adhesive tape."),
            ("Scissors, 21 cm", 690, "Stainless steel blades, soft-grip handles."),
            ("Desk organiser", 1990, "Five compartments for pens, notes and clips."),
            ("Letter tray, black", 590, "Stackable A4 tray."),
            ("Lever arch file A4, 80 mm", 349, "Sturdy cardboard file with a metal mechanism."),
            ("Ring binder A4, 2 rings", 279, "Polypropylene binder for up to 250 sheets."),
            ("Index dividers A-Z", 399, "Twenty-part dividers for A4 files."),
            ("Desk calculator", 1490, "Twelve-digit display, solar and battery powered."),
        ],
    ),
    (
        "Paper",
        "paper",
        "PAP",
        [
            ("Copy paper A4, 500 sheets", 549, "80 g/m², bright white, for printers and copiers."),
            ("Copy paper A4, box of 5 reams", 2490, "2,500 sheets of 80 g/m² paper."),
            ("Copy paper A3, 500 sheets", 1190, "80 g/m² paper for large prints."),
            ("Recycled paper A4, 500 sheets", 599, "100 % recycled, Blue Angel certified."),
            ("Premium paper A4, 100 g/m²", 899, "Heavier paper for presentations."),
            ("Coloured paper A4, 250 sheets", 749, "Five pastel colours."),
            ("Sticky notes 76 x 76 mm, 12 pads", 999, "Yellow notes that stick and restick."),
            ("Sticky notes, neon, 6 pads", 649, "Bright colours for things that matter."),
            ("Notebook A5, ruled", 399, "96 sheets, hardback."),
            ("Notebook A4, squared", 449, "80 sheets, perforated."),
            ("Spiral notepad A4", 299, "Ruled, 100 sheets, top binding."),
            ("Index cards A7, 100 pieces", 249, "White, ruled on one side."),
            ("Flipchart pad, 20 sheets", 1290, "Plain paper for standard flipchart easels."),
            ("Envelopes C5, 50 pieces", 499, "Self-sealing, with window."),
            ("Envelopes DL, 100 pieces", 649, "Self-sealing, without window."),
            ("Label sheets A4, 100 sheets", 1890, "24 labels per sheet, for laser printers."),
        ],
    ),
    (
        "Writing",
        "writing",
        "WRI",
        [
            ("Ballpoint pen, blue, 10 pieces", 490, "Smooth-writing pens with a medium tip."),
            ("Ballpoint pen, black, 10 pieces", 490, "Smooth-writing pens with a medium tip."),
            ("Ballpoint pen, red, 10 pieces", 490, "For corrections and highlights."),
            ("Gel pen, black, 12 pieces", 1190, "0.5 mm gel ink that dries fast."),
            ("Fountain pen", 2490, "Steel nib, with six ink cartridges."),
            ("Ink cartridges, blue, 30 pieces", 590, "Standard short cartridges."),
            ("Pencil HB, 12 pieces", 390, "With eraser tip."),
            ("Mechanical pencil 0.5 mm", 450, "With rubber grip and 12 leads."),
            ("Highlighters, 4 colours", 599, "Yellow, green, pink and orange."),
            ("Permanent marker, black", 179, "Waterproof, bullet tip."),
            ("Whiteboard markers, 4 colours", 649, "Dry-wipe, low odour."),
            ("Fineliners, 10 colours", 899, "0.4 mm tips for notes and sketches."),
            ("Correction tape", 249, "5 mm x 8 m, writes over at once."),
            ("Eraser, white", 89, "Clean erasing without smudges."),
            ("Pencil sharpener, double", 199, "With container."),
            ("Ruler, 30 cm", 149, "Transparent plastic, with bevelled edge."),
        ],
    ),
    (
        "Furniture",
        "furniture",
        "FUR",
        [
            (
                "Office chair, ergonomic",
                24900,
                "Adjustable lumbar support, seat depth and armrests.",
            ),
            ("Office chair, basic", 11900, "Gas-lift height adjustment, fabric seat."),
            ("Standing desk 160 x 80 cm", 54900, "Electric height adjustment with memory."),
            ("Desk 140 x 70 cm", 21900, "Melamine top, steel frame."),
            ("Meeting table, round", 32900, "For four people, 110 cm diameter."),
            ("Visitor chair, stackable", 6900, "Chrome frame, upholstered seat."),
            ("Filing cabinet, 3 drawers", 18900, "Lockable, for hanging files."),
            ("Bookshelf, 5 shelves", 12900, "80 cm wide, white."),
            ("Mobile pedestal", 15900, "Three drawers on castors, lockable."),
            ("Monitor arm", 8900, "For one screen up to 32 inches."),
            ("Footrest, adjustable", 3490, "Tilting platform with massage surface."),
            ("Desk lamp, LED", 4490, "Dimmable, with USB port."),
            ("Whiteboard 120 x 90 cm", 9900, "Magnetic, with pen tray."),
            ("Pinboard 90 x 60 cm", 2990, "Cork with aluminium frame."),
            ("Coat stand", 4990, "Eight hooks and umbrella holder."),
            ("Waste paper bin, 18 l", 1290, "Steel mesh."),
        ],
    ),
    (
        "Tech",
        "tech",
        "TEC",
        [
            ("Wireless mouse", 2490, "Quiet clicks, USB receiver, two-year battery life."),
            ("Wireless keyboard", 3990, "Full size with numeric pad."),
            ("Monitor 27 inch", 22900, "QHD IPS display with height-adjustable stand."),
            ("USB-C hub, 7 ports", 4990, "HDMI, USB-A, SD card and power delivery."),
            ("Headset with microphone", 5990, "Noise-cancelling, for calls and meetings."),
            ("Webcam Full HD", 6990, "1080p with privacy shutter."),
            ("USB stick 64 GB", 1290, "USB 3.2, metal casing."),
            ("External SSD 1 TB", 9990, "Pocket-sized, USB-C."),
            ("Laptop stand", 3490, "Aluminium, adjustable height."),
            ("Power strip, 6 sockets", 1990, "With switch and 3 m cable."),
            ("HDMI cable, 2 m", 990, "4K capable."),
            ("Laser printer, mono", 17900, "30 pages per minute, duplex, network."),
            ("Toner cartridge, black", 7490, "About 3,000 pages."),
            ("Label printer", 8990, "For addresses, files and shelves."),
            ("Presenter with laser pointer", 2990, "Wireless, 20 m range."),
            ("Batteries AA, 24 pieces", 1190, "Alkaline, long-lasting."),
        ],
    ),
    (
        "Break room",
        "break-room",
        "BRK",
        [
            ("Coffee beans, 1 kg", 1790, "Medium roast, for fully automatic machines."),
            ("Ground coffee, 500 g", 749, "For filter machines."),
            ("Green tea, 100 bags", 899, "Individually wrapped."),
            ("Herbal tea selection, 60 bags", 799, "Six flavours."),
            ("Sugar sticks, 500 pieces", 1290, "4 g each."),
            ("Coffee creamer portions, 200 pieces", 1490, "10 g each."),
            ("Mineral water, 12 x 1 l", 699, "Sparkling, glass bottles."),
            ("Paper cups 200 ml, 100 pieces", 549, "For hot and cold drinks."),
            ("Coffee mugs, 6 pieces", 2490, "White porcelain, 300 ml."),
            ("Biscuit assortment, 1 kg", 1290, "For meetings and visitors."),
            ("Fruit basket", 2990, "Seasonal fruit for about 15 people."),
            ("Kettle 1.7 l", 3490, "Stainless steel, auto shut-off."),
            ("Filter coffee machine", 5990, "Ten cups, with thermos jug."),
            ("Paper napkins, 250 pieces", 399, "Two-ply, white."),
            ("Teaspoons, 12 pieces", 990, "Stainless steel."),
        ],
    ),
    (
        "Cleaning",
        "cleaning",
        "CLE",
        [
            ("Paper towels, 6 rolls", 899, "Two-ply, highly absorbent."),
            ("Toilet paper, 24 rolls", 1490, "Three-ply, recycled."),
            ("Hand soap refill, 5 l", 1590, "Mild, for sensitive skin."),
            ("Hand sanitiser, 500 ml", 690, "With pump dispenser."),
            ("All-purpose cleaner, 1 l", 349, "For every washable surface."),
            ("Glass cleaner, 750 ml", 399, "Streak-free shine."),
            ("Microfibre cloths, 10 pieces", 799, "Four colours for different areas."),
            ("Dishwasher tabs, 100 pieces", 1690, "All in one, phosphate-free."),
            ("Washing-up liquid, 1 l", 299, "Gentle on hands."),
            ("Bin bags 60 l, 50 pieces", 699, "Tear-resistant."),
            ("Disinfectant wipes, 100 pieces", 599, "For keyboards and desks."),
            ("Screen cleaning kit", 899, "Spray and microfibre cloth."),
            ("Dustpan and brush", 790, "With rubber lip."),
            ("Mop and bucket set", 2490, "With wringer."),
            ("Rubber gloves, size M", 249, "One pair, reusable."),
        ],
    ),
    (
        "Packaging",
        "packaging",
        "PAC",
        [
            ("Cardboard boxes, small, 20 pieces", 1490, "250 x 175 x 100 mm, single wall."),
            ("Cardboard boxes, medium, 20 pieces", 1990, "350 x 250 x 200 mm, single wall."),
            ("Cardboard boxes, large, 10 pieces", 1990, "600 x 400 x 400 mm, double wall."),
            ("Packing tape, brown, 6 rolls", 899, "50 mm x 66 m, low noise."),
            ("Tape gun", 1290, "For 50 mm packing tape."),
            ("Bubble wrap 50 cm x 10 m", 990, "Protects fragile items."),
            ("Padded envelopes C4, 10 pieces", 1190, "Bubble-lined, self-sealing."),
            ("Stretch film 50 cm", 1490, "For securing pallets."),
            ("Packing paper, 5 kg", 1690, "Recycled, for void fill."),
            ("Shipping labels, 100 pieces", 790, "Self-adhesive, 100 x 150 mm."),
            ("Cable ties, 100 pieces", 399, "200 mm, black."),
            ("Box cutter", 490, "With snap-off blades."),
            ("Document pouches, 100 pieces", 999, "“Documents enclosed”, C5."),
            ("Archive boxes, 10 pieces", 2290, "For A4 files, with lid."),
            ("String, 100 m", 349, "Natural jute."),
        ],
    ),
]

COMPANIES = {"Acme Corporation": ["Berlin HQ", "Munich Branch"], "Globex Inc": ["Head Office"]}


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    unit: tuple[str, str] | None  # (company, business unit); None for B2C
    # Carts as (name, [(sku, quantity), ...]); the first is active. Empty: one "My cart".
    carts: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()


PEOPLE = [
    DemoPerson(
        "alice@acme.example",
        "Alice Archer",
        ("Acme Corporation", "Berlin HQ"),
        carts=(
            ("Office supplies", (("OFF-0001", 2), ("PAP-0001", 10), ("WRI-0001", 3))),
            (
                "Trade fair",
                (
                    ("PAC-0002", 4),
                    ("PAC-0004", 2),
                    ("BRK-0001", 3),
                    ("TEC-0015", 1),
                    ("FUR-0014", 2),
                ),
            ),
        ),
    ),
    DemoPerson(
        "bob@acme.example",
        "Bob Brandt",
        ("Acme Corporation", "Berlin HQ"),
        carts=(("Bob's cart", (("TEC-0001", 1),)),),
    ),
    DemoPerson("carol@acme.example", "Carol Conrad", ("Acme Corporation", "Munich Branch")),
    DemoPerson("dave@globex.example", "Dave Dunn", ("Globex Inc", "Head Office")),
    DemoPerson("erin@example.com", "Erin Evans", None),
    # A sales representative: prepares carts and sends them to customers as proposals.
    DemoPerson(
        "sam@cartshare.example",
        "Sam Seller",
        None,
        carts=(
            (
                "Proposal for Globex",
                (("FUR-0014", 2), ("TEC-0015", 1), ("PAP-0001", 20), ("WRI-0001", 10)),
            ),
        ),
    ),
]
# Notes of demo carts, written when the cart is created (never over a changed one).
NOTES = {
    ("sam@cartshare.example", "Proposal for Globex"): (
        "Prepared for Globex's new head office: prices held until the end of the quarter. "
        "Copy it into your own cart to order, or answer me with changes."
    ),
}
SHARES = [("alice@acme.example", "Trade fair", "bob@acme.example", SharePermission.FULL_ACCESS)]
ADMIN_EMAIL = "admin@cartshare.example"
FIRST_CART_NAME = "My cart"


def demo_catalog_load() -> None:
    """Categories and products, created when missing (never overwriting staff edits)."""
    existing = set(Product.objects.values_list("sku", flat=True))
    new_products = []
    for category_name, slug, prefix, products in CATALOG:
        category, _ = Category.objects.get_or_create(slug=slug, defaults={"name": category_name})
        for number, (name, price, description) in enumerate(products, start=1):
            sku = f"{prefix}-{number:04d}"
            if sku not in existing:
                new_products.append(
                    Product(
                        sku=sku,
                        name=name,
                        description=description,
                        category=category,
                        unit_price=price,
                        currency="EUR",
                    )
                )
    Product.objects.bulk_create(new_products)


def _demo_units() -> dict[tuple[str, str], BusinessUnit]:
    units = {}
    for company_name, unit_names in COMPANIES.items():
        company, _ = Company.objects.get_or_create(name=company_name)
        for unit_name in unit_names:
            unit, _ = BusinessUnit.objects.get_or_create(company=company, name=unit_name)
            units[(company_name, unit_name)] = unit
    return units


def _demo_person_load(person: DemoPerson, units: dict[tuple[str, str], BusinessUnit]) -> Customer:
    customer = Customer.objects.filter(email=person.email).first()
    if customer is None:
        customer = Customer.objects.create_user(
            email=person.email, password=PASSWORD, name=person.name
        )
    if person.unit is not None and not CompanyUser.objects.filter(customer=customer).exists():
        CompanyUser.objects.create(customer=customer, business_unit=units[person.unit])
    carts = person.carts or ((FIRST_CART_NAME, ()),)
    for index, (cart_name, items) in enumerate(carts):
        if Cart.objects.filter(owner=customer, name=cart_name).exists():
            continue
        cart = cart_create(owner=customer, name=cart_name)
        if note := NOTES.get((person.email, cart_name)):
            Cart.objects.filter(pk=cart.pk).update(note=note)
        for sku, quantity in items:
            cart_item_add(cart=cart, actor=customer, sku=sku, quantity=quantity)
        if index == 0:
            cart_activate(cart=cart, actor=customer)
    return customer


def _demo_share_load(
    owner_email: str, cart_name: str, grantee_email: str, permission: SharePermission
) -> None:
    cart = Cart.objects.get(owner__email=owner_email, name=cart_name)
    company_user = CompanyUser.objects.get(customer__email=grantee_email)
    _, created = CartShare.objects.get_or_create(
        cart=cart, company_user=company_user, defaults={"permission": permission}
    )
    if created:
        activity_record(
            cart=cart,
            actor=cart.owner,
            verb=Verb.SHARED,
            grantee=company_user.customer.name,
            permission=str(permission),
        )


@transaction.atomic
def load_demo_data() -> None:
    """Load everything; a second run finds it all in place and changes nothing."""
    demo_catalog_load()
    units = _demo_units()
    for person in PEOPLE:
        _demo_person_load(person, units)
    for share in SHARES:
        _demo_share_load(*share)
    if not Customer.objects.filter(email=ADMIN_EMAIL).exists():
        admin = Customer.objects.create_superuser(
            email=ADMIN_EMAIL, password=PASSWORD, name="Admin"
        )
        cart_create(owner=admin, name=FIRST_CART_NAME, activate=True)
