using Xunit;

namespace Culprit.Crash.Tests;

/// <summary>C++ and Rust frames are named by their source names, the way syzkaller titles them.</summary>
public sealed class DemanglerTests
{
    [Theory]
    [InlineData("_Z8fakeNameiii", "fakeName")]
    [InlineData("_ZN5outer5inner4funcEv", "outer::inner::func")]
    [InlineData("_ZN3FooC1Ev", "Foo::Foo")]
    [InlineData("_ZN3FooD2Ev", "Foo::~Foo")]
    [InlineData("_ZN3FooplERKS_", "Foo::operator+")]
    [InlineData("_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector<int, std::allocator<int> >::push_back")]
    [InlineData("_ZN3foo3barIiEEvT_", "foo::bar<int>")]
    [InlineData("_ZL6helperi", "helper")]
    [InlineData("_ZZ4mainE5inner", "main::inner")]
    public void Cpp_names_lose_their_parameter_types(string mangled, string name) =>
        Assert.Equal(name, Demangler.Demangle(mangled));

    [Theory]
    [InlineData("_ZN4core3ptr13drop_in_place17h0123456789abcdefE", "core::ptr::drop_in_place")]
    [InlineData("_ZN66_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$core..ops..drop..Drop$GT$4drop17h1234567890abcdefE",
        "<alloc::vec::Vec<T> as core::ops::drop::Drop>::drop")]
    public void Rust_legacy_names_lose_their_hash_and_escapes(string mangled, string name) =>
        Assert.Equal(name, Demangler.Demangle(mangled));

    [Theory]
    [InlineData("_RNvNtCs1234_7mycrate3foo3bar", "mycrate::foo::bar")]
    [InlineData("_RNvCscSpY9Juk0HT_7___rustc17rust_begin_unwind", "__rustc::rust_begin_unwind")]
    [InlineData("_RNvMs3_NtCshgDM7dBCdno_11rust_binder7processNtB5_7Process10update_ref", "<rust_binder::process::Process>::update_ref")]
    [InlineData("_RNvXCsktjF9JQNZ8U_5rnullNtB2_13NullBlkModuleNtCs43vyB533jt3_6kernel13InPlaceModule4init",
        "<rnull::NullBlkModule as kernel::InPlaceModule>::init")]
    [InlineData("_RINvNtC3std3mem8align_ofdE", "std::mem::align_of::<f64>")]
    public void Rust_v0_names_are_printed_without_crate_hashes(string mangled, string name) =>
        Assert.Equal(name, Demangler.Demangle(mangled));

    [Theory]
    [InlineData("ip6_send_skb")]
    [InlineData("__x64_sys_ioctl")]
    [InlineData("_raw_spin_lock")]
    [InlineData("_Z")]
    [InlineData("_ZN3foo")]
    [InlineData("_Z999foo")]
    [InlineData("_RNvB9999_3foo")]
    [InlineData("_RNvCs_3foo99bar")]
    public void Plain_and_malformed_names_are_kept_as_printed(string name) =>
        Assert.Equal(name, Demangler.Demangle(name));

    [Fact]
    public void Deeply_nested_hostile_names_are_kept_without_exhausting_the_stack()
    {
        string rust = "_R" + string.Concat(Enumerable.Repeat("Nv", 100_000)) + "C3foo";
        string cpp = "_Z" + string.Concat(Enumerable.Repeat("PK", 100_000)) + "i";
        Assert.Equal(rust, Demangler.Demangle(rust));
        Assert.Equal(cpp, Demangler.Demangle(cpp));
        string template = "_ZN1a" + string.Concat(Enumerable.Repeat("I", 100_000)) + "E";
        Assert.Equal(template, Demangler.Demangle(template));
    }

    [Fact]
    public void A_cpp_frame_gives_its_source_name_to_the_title()
    {
        string log = """
            [   10.000002] BUG: KASAN: use-after-free in _ZN3drv6Device5probeEv+0x2f5/0x330
            [   10.000003] Read of size 8 at addr ffff88004fab1858 by task syz-executor0/30168
            [   10.000004] CPU: 0 PID: 30168 Comm: syz-executor0 Not tainted 4.12.0-rc3+ #3
            [   10.000005] Call Trace:
            [   10.000007]  dump_stack+0x292/0x395
            [   10.000008]  kasan_report+0x230/0x340
            [   10.000010]  _ZN3drv6Device5probeEv+0x2f5/0x330
            [   10.000011]  really_probe+0xb8/0xe0

            """;
        var report = LinuxCrashParser.Parse(log);
        Assert.Equal("KASAN: use-after-free Read in drv::Device::probe", report?.Title);
        Assert.Equal("drv::Device::probe", report?.Frame);
    }
}
