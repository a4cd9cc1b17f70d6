"""StreamField blocks shared by every page type; each block names its template."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, label=_("Attribution"))

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote_block.html"
        label = _("Quote")


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"))
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ul"], label=_("Answer"))


class FaqBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, label=_("Heading"))
    items = blocks.ListBlock(FaqItemBlock(), label=_("Questions"))

    class Meta:
        icon = "help"
        template = "cms/blocks/faq_block.html"
        label = _("Frequently asked questions")


class FacilitatorIntroBlock(blocks.StructBlock):
    profession = blocks.CharBlock(label=_("Profession"))
    name = blocks.CharBlock(required=False, label=_("Name (optional)"))
    text = blocks.TextBlock(required=False, label=_("Introduction"))

    class Meta:
        icon = "user"
        template = "cms/blocks/facilitator_intro_block.html"
        label = _("Facilitator introduction")


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title", template="cms/blocks/heading_block.html", label=_("Heading")
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3"], label=_("Text")
    )
    image = ImageBlock(template="cms/blocks/image_block.html", label=_("Image"))
    quote = QuoteBlock()
    faq = FaqBlock()
    facilitator_intro = FacilitatorIntroBlock()
